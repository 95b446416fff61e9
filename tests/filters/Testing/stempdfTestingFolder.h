#ifndef stempdfTestingFolder_h
#define stempdfTestingFolder_h
// Shared by the tests that write files: a fresh folder per test.

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <system_error>

namespace stempdf
{
namespace testing
{
/** A fixture whose every test gets its own empty folder under the system's
 *  temporary directory (named after the process, the suite and the test),
 *  removed afterwards. A test file names it for its suite:
 *  `using HDF5DatasetImageIOTest = stempdf::testing::TemporaryFolderTest;`. */
class TemporaryFolderTest : public ::testing::Test
{
protected:
  void
  SetUp() override
  {
    const auto * info = ::testing::UnitTest::GetInstance()->current_test_info();
    std::string  name = "stempdf-" + std::to_string(getpid()) + "-" + info->test_suite_name() + "-" + info->name();
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

  std::filesystem::path m_Folder;
};
} // namespace testing
} // namespace stempdf

#endif
