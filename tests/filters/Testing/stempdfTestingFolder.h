#ifndef stempdfTestingFolder_h
#define stempdfTestingFolder_h
// Shared by the tests that write files: a fresh folder per test, and the
// check that an action throws an itk::ExceptionObject saying what it should.

#include "itkMacro.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <system_error>
#include <vector>

namespace stempdf
{
namespace testing
{
/** A fixture whose every test gets its own empty folder under the system's
 *  temporary directory (named after the prefix, the process and the test),
 *  removed afterwards. */
class TemporaryFolderTest : public ::testing::Test
{
protected:
  explicit TemporaryFolderTest(std::string prefix)
    : m_Prefix(std::move(prefix))
  {}

  void
  SetUp() override
  {
    const auto * info = ::testing::UnitTest::GetInstance()->current_test_info();
    std::string  name = m_Prefix + std::to_string(getpid()) + "-" + info->test_suite_name() + "-" + info->name();
    std::replace(name.begin(), name.end(), '/', '_'); // typed tests are named Suite/0
    m_Folder = std::filesystem::temp_directory_path() / name;
    std::filesystem::remove_all(m_Folder);
    std::filesystem::create_directories(m_Folder);
  }

  void
  TearDown() override
  {
    std::error_code error;
    std::filesystem::remove_all(m_Folder, error);
  }

  /** A file name inside the test's folder. */
  std::string
  Path(const std::string & name) const
  {
    return (m_Folder / name).string();
  }

  std::string           m_Prefix;
  std::filesystem::path m_Folder;
};

/** Runs `action`, expects an itk::ExceptionObject whose description contains
 *  every one of `parts`, and returns the description. */
template <typename Action>
std::string
ExpectError(Action && action, const std::vector<std::string> & parts)
{
  try
  {
    action();
  }
  catch (const itk::ExceptionObject & error)
  {
    const std::string description = error.GetDescription();
    for (const auto & part : parts)
    {
      EXPECT_NE(description.find(part), std::string::npos) << "missing \"" << part << "\" in: " << description;
    }
    return description;
  }
  ADD_FAILURE() << "no itk::ExceptionObject was thrown";
  return "";
}
} // namespace testing
} // namespace stempdf

#endif
