#ifndef stempdfTestingHDF5_h
#define stempdfTestingHDF5_h
// Writing HDF5 test files with the C API (the layouts other software writes),
// shared by the tests that read HDF5: RAII ids that fail loudly, and the HDF5
// type of a C++ value type.

#include <hdf5.h>

#include <cstdint>
#include <stdexcept>
#include <string>
#include <type_traits>

namespace stempdf
{
namespace testing
{
/** Owns an HDF5 id; the tests fail loudly if HDF5 refuses something. */
struct Id
{
  hid_t id{ -1 };
  herr_t (*close)(hid_t){ nullptr };
  Id(hid_t value, herr_t (*closeFunction)(hid_t))
    : id(value)
    , close(closeFunction)
  {
    if (value < 0)
    {
      throw std::runtime_error("HDF5 call failed while making a test file");
    }
  }
  Id(const Id &) = delete;
  Id &
  operator=(const Id &) = delete;
  ~Id()
  {
    if (id >= 0)
    {
      close(id);
    }
  }
  operator hid_t() const { return id; }
};

inline void
Ok(herr_t status)
{
  if (status < 0)
  {
    throw std::runtime_error("HDF5 call failed while making a test file");
  }
}

inline Id
CreateFile(const std::string & name)
{
  return Id(H5Fcreate(name.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT), H5Fclose);
}

/** A group at `path`, intermediate groups included. */
inline Id
CreateGroup(hid_t location, const std::string & path)
{
  Id linkCreation(H5Pcreate(H5P_LINK_CREATE), H5Pclose);
  Ok(H5Pset_create_intermediate_group(linkCreation, 1));
  return Id(H5Gcreate2(location, path.c_str(), linkCreation, H5P_DEFAULT, H5P_DEFAULT), H5Gclose);
}

/** The native HDF5 type of T. */
template <typename T>
hid_t
NativeType()
{
  if constexpr (std::is_same_v<T, char>)
    return H5T_NATIVE_CHAR;
  else if constexpr (std::is_same_v<T, uint8_t>)
    return H5T_NATIVE_UINT8;
  else if constexpr (std::is_same_v<T, int8_t>)
    return H5T_NATIVE_INT8;
  else if constexpr (std::is_same_v<T, uint16_t>)
    return H5T_NATIVE_UINT16;
  else if constexpr (std::is_same_v<T, int16_t>)
    return H5T_NATIVE_INT16;
  else if constexpr (std::is_same_v<T, uint32_t>)
    return H5T_NATIVE_UINT32;
  else if constexpr (std::is_same_v<T, int32_t>)
    return H5T_NATIVE_INT32;
  else if constexpr (std::is_same_v<T, float>)
    return H5T_NATIVE_FLOAT;
  else
  {
    static_assert(std::is_same_v<T, double>, "a value type the tests write");
    return H5T_NATIVE_DOUBLE;
  }
}
} // namespace testing
} // namespace stempdf

#endif
