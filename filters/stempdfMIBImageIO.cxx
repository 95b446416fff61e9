// Being written (issue 3); see stempdfMIBImageIO.h when it lands.
