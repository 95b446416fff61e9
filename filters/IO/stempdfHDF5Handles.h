#ifndef stempdfHDF5Handles_h
#define stempdfHDF5Handles_h

// Internal to STEMPDFFilters (needs the HDF5 headers): RAII owners of HDF5
// identifiers and the HDF5 error handling shared by the HDF5 layouts and
// stempdf::HDF5DatasetImageIO.

#include "itkMacro.h"

#include <hdf5.h>

#include <algorithm>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

namespace stempdf
{
namespace hdf5
{
// ------------------------------------------------------------------ errors

/** Throws from free functions, with the same class prefix as itkExceptionMacro. */
#define STEMPDF_HDF5_THROW(streamExpression)                                                                           \
  do                                                                                                                   \
  {                                                                                                                    \
    std::ostringstream stempdfHdf5Message;                                                                             \
    stempdfHdf5Message << "HDF5DatasetImageIO: " << streamExpression;                                                  \
    throw itk::ExceptionObject(__FILE__, __LINE__, stempdfHdf5Message.str(), ITK_LOCATION);                            \
  } while (false)

/** Turns HDF5's automatic printing of its error stack off for the lifetime
 *  of the guard, and restores whatever handler was installed before (the
 *  same process may use HDF5 elsewhere, e.g. ParaView's own readers). */
class ErrorPrintingOff
{
public:
  ErrorPrintingOff()
  {
    H5Eget_auto2(H5E_DEFAULT, &m_Function, &m_ClientData);
    H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
  }
  ~ErrorPrintingOff() { H5Eset_auto2(H5E_DEFAULT, m_Function, m_ClientData); }
  ErrorPrintingOff(const ErrorPrintingOff &) = delete;
  ErrorPrintingOff &
  operator=(const ErrorPrintingOff &) = delete;

private:
  H5E_auto2_t m_Function{ nullptr };
  void *      m_ClientData{ nullptr };
};

inline herr_t
CollectErrorDescription(unsigned int, const H5E_error2_t * error, void * clientData)
{
  auto * descriptions = static_cast<std::vector<std::string> *>(clientData);
  if (error != nullptr && error->desc != nullptr && error->desc[0] != '\0')
  {
    descriptions->emplace_back(error->desc);
  }
  return 0;
}

/** What HDF5's error stack says, and clears the stack: the outermost and the
 *  innermost description (the API call that failed and the root cause),
 *  on one line. */
inline std::string
TakeHDF5Errors()
{
  std::vector<std::string> descriptions;
  H5Ewalk2(H5E_DEFAULT, H5E_WALK_DOWNWARD, CollectErrorDescription, &descriptions);
  H5Eclear2(H5E_DEFAULT);
  for (auto & d : descriptions)
  {
    std::replace(d.begin(), d.end(), '\n', ' ');
    while (!d.empty() && d.back() == ' ')
    {
      d.pop_back();
    }
  }
  if (descriptions.empty())
  {
    return "HDF5 gave no details";
  }
  if (descriptions.size() == 1 || descriptions.front() == descriptions.back())
  {
    return descriptions.front();
  }
  return descriptions.front() + "; " + descriptions.back();
}

// ------------------------------------------------------------------ handles

/** Owns one HDF5 identifier and closes it with CloseFunction. */
template <herr_t (*CloseFunction)(hid_t)>
class Handle
{
public:
  Handle() = default;
  explicit Handle(hid_t id)
    : m_Id(id)
  {}
  Handle(Handle && other) noexcept
    : m_Id(std::exchange(other.m_Id, H5I_INVALID_HID))
  {}
  Handle &
  operator=(Handle && other) noexcept
  {
    if (this != &other)
    {
      this->Reset();
      m_Id = std::exchange(other.m_Id, H5I_INVALID_HID);
    }
    return *this;
  }
  Handle(const Handle &) = delete;
  Handle &
  operator=(const Handle &) = delete;
  ~Handle() { this->Reset(); }

  /** Closes the identifier now; returns HDF5's status (>= 0 on success). */
  herr_t
  Reset()
  {
    herr_t status = 0;
    if (m_Id >= 0)
    {
      status = CloseFunction(m_Id);
      m_Id = H5I_INVALID_HID;
    }
    return status;
  }
  hid_t
  Get() const
  {
    return m_Id;
  }
  explicit operator bool() const { return m_Id >= 0; }

private:
  hid_t m_Id{ H5I_INVALID_HID };
};

using FileHandle = Handle<H5Fclose>;
using GroupHandle = Handle<H5Gclose>;
using DatasetHandle = Handle<H5Dclose>;
using DataspaceHandle = Handle<H5Sclose>;
using TypeHandle = Handle<H5Tclose>;
using AttributeHandle = Handle<H5Aclose>;
using PropertyListHandle = Handle<H5Pclose>;
using ObjectHandle = Handle<H5Oclose>;

/** Turns failed HDF5 calls on one file into exceptions naming the file, the
 *  object and what was being done, plus HDF5's own messages. */
class FileContext
{
public:
  explicit FileContext(std::string fileName)
    : m_FileName(std::move(fileName))
  {}

  const std::string &
  GetFileName() const
  {
    return m_FileName;
  }

  hid_t
  Check(hid_t id, const std::string & what) const
  {
    if (id < 0)
    {
      this->Fail(what);
    }
    return id;
  }

  herr_t
  Check(herr_t status, const std::string & what) const
  {
    if (status < 0)
    {
      this->Fail(what);
    }
    return status;
  }

  [[noreturn]] void
  Fail(const std::string & what) const
  {
    STEMPDF_HDF5_THROW("HDF5 error while " << what << " in file '" << m_FileName << "': " << TakeHDF5Errors());
  }

private:
  std::string m_FileName;
};
} // namespace hdf5
} // namespace stempdf

#endif
