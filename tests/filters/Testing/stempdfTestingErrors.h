#ifndef stempdfTestingErrors_h
#define stempdfTestingErrors_h
// Shared by the tests of bad input: what an action throws. Every filter and
// function of filters/ reports bad input as an itk::ExceptionObject whose
// description names the parameter, the value and what was expected; the
// tests check the description.

#include "itkMacro.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace stempdf
{
namespace testing
{
/** Runs `action` and returns the description of the itk::ExceptionObject it
 *  throws, "" when it throws none (so that EXPECT_EQ(..., "") checks that an
 *  action is accepted and `.find(...)` fails on an action that is). */
template <typename Action>
std::string
ThrownDescription(Action && action)
{
  try
  {
    action();
  }
  catch (const itk::ExceptionObject & error)
  {
    return error.GetDescription();
  }
  return "";
}

/** The description of the itk::ExceptionObject that updating `process` (a
 *  filter or a source, by pointer or SmartPointer) throws, "" when the update
 *  succeeds. */
template <typename ProcessPointer>
std::string
UpdateError(const ProcessPointer & process)
{
  return ThrownDescription([&process]() { process->Update(); });
}

/** Expects `text` to hold every one of `parts`. */
inline void
ExpectContains(const std::string & text, const std::vector<std::string> & parts)
{
  for (const auto & part : parts)
  {
    EXPECT_NE(text.find(part), std::string::npos) << "missing \"" << part << "\" in: " << text;
  }
}

/** Runs `action`, expects an itk::ExceptionObject whose description contains
 *  every one of `parts` (fails when it throws none), and returns the
 *  description ("" when none was thrown). */
template <typename Action>
std::string
ExpectError(Action && action, const std::vector<std::string> & parts = {})
{
  try
  {
    action();
  }
  catch (const itk::ExceptionObject & error)
  {
    const std::string description = error.GetDescription();
    ExpectContains(description, parts);
    return description;
  }
  std::string expected;
  for (const auto & part : parts)
  {
    expected += " \"" + part + "\"";
  }
  ADD_FAILURE() << "no itk::ExceptionObject was thrown" << (expected.empty() ? "" : "; expected one saying")
                << expected;
  return "";
}

/** ExpectError for the update of `process` (a filter or a source, by pointer
 *  or SmartPointer). */
template <typename ProcessPointer>
std::string
ExpectUpdateError(const ProcessPointer & process, const std::vector<std::string> & parts = {})
{
  return ExpectError([&process]() { process->Update(); }, parts);
}
} // namespace testing
} // namespace stempdf

#endif
