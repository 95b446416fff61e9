#ifndef stempdfTestingObjects_h
#define stempdfTestingObjects_h
// Shared by the tests of the project's ITK classes (filters, sources, image
// IOs, calculators): what ITK's ITK_EXERCISE_BASIC_OBJECT_METHODS and
// ITK_TEST_SET_GET_BOOLEAN check, as GoogleTest expectations, and a new
// filter on an input.

#include "stempdfTestingErrors.h"

#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <type_traits>
#include <vector>

namespace stempdf
{
namespace testing
{
/** Prints `object` (its PrintSelf down the whole hierarchy), expects the
 *  text to hold every one of `parts`, and returns it. */
template <typename ObjectPointer>
std::string
ExpectPrinted(const ObjectPointer & object, const std::vector<std::string> & parts)
{
  std::ostringstream stream;
  object->Print(stream);
  const std::string text = stream.str();
  ExpectContains(text, parts);
  return text;
}

/** Checks the macros every ITK class of the project uses and runs its
 *  PrintSelf: GetNameOfClass() is className and the superclass's is
 *  superclassName (itkTypeMacro); CreateAnother() makes another object of
 *  the class (itkNewMacro); Print() (PrintSelf down the whole hierarchy)
 *  writes text that names the class and holds every one of `printed` (what
 *  the PrintSelf of the class and of its superclasses say). Returns the
 *  text. */
template <typename ObjectPointer>
std::string
ExerciseBasicObjectMethods(const ObjectPointer & object, const char * className, const char * superclassName,
                           const std::vector<std::string> & printed = {})
{
  using ObjectType = std::remove_cv_t<std::remove_reference_t<decltype(*object)>>;
  EXPECT_STREQ(object->GetNameOfClass(), className);
  EXPECT_STREQ(object->ObjectType::Superclass::GetNameOfClass(), superclassName);
  const auto another = object->CreateAnother();
  EXPECT_NE(another.GetPointer(), nullptr);
  if (another)
  {
    EXPECT_STREQ(another->GetNameOfClass(), className);
  }
  std::vector<std::string> parts{ className };
  parts.insert(parts.end(), printed.begin(), printed.end());
  const std::string text = ExpectPrinted(object, parts);
  EXPECT_FALSE(text.empty());
  return text;
}

/** T::New(), checked by ExerciseBasicObjectMethods: for a test that goes on
 *  to check the object's Set/Get macros. */
template <typename T>
typename T::Pointer
NewAndExercise(const char * className, const char * superclassName, const std::vector<std::string> & printed = {})
{
  auto object = T::New();
  ExerciseBasicObjectMethods(object, className, superclassName, printed);
  return object;
}

/** TFilter::New() with `input` (a pointer or SmartPointer) as its input. */
template <typename TFilter, typename InputPointer>
typename TFilter::Pointer
NewFilterOn(const InputPointer & input)
{
  auto filter = TFilter::New();
  filter->SetInput(input);
  return filter;
}

/** Updates `filter` with `workUnits` work units and returns it: for the
 *  tests that the values do not depend on the number of threads. */
template <typename FilterPointer>
FilterPointer
UpdatedWithWorkUnits(FilterPointer filter, unsigned int workUnits)
{
  filter->SetNumberOfWorkUnits(workUnits);
  filter->Update();
  return filter;
}
} // namespace testing
} // namespace stempdf

/** ITK's ITK_TEST_SET_GET_BOOLEAN, as GoogleTest expectations: the Set, Get,
 *  On and Off methods of an itkSetMacro / itkGetMacro / itkBooleanMacro flag
 *  `Name` of `object` agree; the flag is left at `value`. */
#define STEMPDF_EXPECT_SET_GET_BOOLEAN(object, Name, value)                                                            \
  do                                                                                                                   \
  {                                                                                                                    \
    (object)->Set##Name(true);                                                                                         \
    EXPECT_TRUE((object)->Get##Name()) << "after Set" #Name "(true)";                                                  \
    (object)->Set##Name(false);                                                                                        \
    EXPECT_FALSE((object)->Get##Name()) << "after Set" #Name "(false)";                                                \
    (object)->Name##On();                                                                                              \
    EXPECT_TRUE((object)->Get##Name()) << "after " #Name "On()";                                                       \
    (object)->Name##Off();                                                                                             \
    EXPECT_FALSE((object)->Get##Name()) << "after " #Name "Off()";                                                     \
    (object)->Set##Name(value);                                                                                        \
  } while (false)

#endif
