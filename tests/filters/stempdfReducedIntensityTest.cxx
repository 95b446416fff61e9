#include "stempdfReducedIntensity.h"
#include "stempdfShellPDFModel.h"
#include "stempdfComposition.h"
#include <gtest/gtest.h>
#include <cmath>
#include <cstdio>
TEST(Explore, Phi)
{
  for (auto model : {stempdf::ShellPDFModel::SolidLike(), stempdf::ShellPDFModel::LiquidLike()}) {
  std::vector<double> s;
  for (int i = 0; i <= 300; ++i) s.push_back(0.25 + i * 0.01);
  auto phi = model.ReducedIntensity(s);
  auto f = stempdf::ComputeCompositionScatteringFactors(stempdf::ParseComposition("Fe85.2Si0.5B9.5P4Cu0.8"), s);
  for (size_t i = 0; i < s.size(); i += 5) std::printf("%.2f phi %.5f S-1 %.5f  ratio %.4f  Nerr %.5f\n", s[i], phi[i], phi[i]/s[i], f.MeanF[i]*f.MeanF[i]/f.MeanFSquared[i], phi[i]/s[i]*f.MeanF[i]*f.MeanF[i]/f.MeanFSquared[i]);
  }
}
