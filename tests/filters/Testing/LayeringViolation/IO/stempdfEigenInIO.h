// A fixture of the test filters.LayeringCatchesAViolation: an IO header that
// reaches Eigen, which the layering check must refuse.
#include <Eigen/Core>
