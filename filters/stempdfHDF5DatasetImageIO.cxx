// Being written (issue 3); see stempdfHDF5DatasetImageIO.h when it lands.
