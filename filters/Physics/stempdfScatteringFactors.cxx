#include "stempdfScatteringFactors.h"

#include "stempdfScatteringFactorTables.h"

#include "itkMacro.h"

#include <algorithm>
#include <cctype>
#include <cmath>

namespace stempdf
{
namespace
{
const ElementScatteringParameters &
Parameters(int z)
{
  if (z < 1 || z > 103)
  {
    itkGenericExceptionMacro(<< "atomic number " << z << " is outside the tables (1..103)");
  }
  return ScatteringParameterTable()[z - 1];
}

double
Kirkland(const ElementScatteringParameters & p, double s)
{
  const double s2 = s * s;
  double       f = 0.0;
  for (int i = 0; i < 3; ++i)
  {
    f += p.KirklandA[i] / (s2 + p.KirklandB[i]) + p.KirklandC[i] * std::exp(-p.KirklandD[i] * s2);
  }
  return f;
}

double
Lobato(const ElementScatteringParameters & p, double s)
{
  const double s2 = s * s;
  double       f = 0.0;
  for (int i = 0; i < 5; ++i)
  {
    const double bs2 = p.LobatoB[i] * s2;
    f += p.LobatoA[i] * (2.0 + bs2) / ((1.0 + bs2) * (1.0 + bs2));
  }
  return f;
}
} // namespace

const char *
ToString(ScatteringFactorTable table)
{
  return table == ScatteringFactorTable::Lobato ? "Lobato" : "Kirkland";
}

ScatteringFactorTable
ScatteringFactorTableFromString(const std::string & name)
{
  std::string lower(name);
  std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
  if (lower == "kirkland")
  {
    return ScatteringFactorTable::Kirkland;
  }
  if (lower == "lobato")
  {
    return ScatteringFactorTable::Lobato;
  }
  itkGenericExceptionMacro(<< "ScatteringFactors is \"" << name << "\"; expected \"Kirkland\" or \"Lobato\"");
}

double
ElectronScatteringFactor(int z, double s, ScatteringFactorTable table)
{
  const auto & p = Parameters(z);
  return table == ScatteringFactorTable::Lobato ? Lobato(p, s) : Kirkland(p, s);
}

CompositionScatteringFactors
ComputeCompositionScatteringFactors(const Composition & composition, const std::vector<double> & s,
                                    ScatteringFactorTable table, double scale)
{
  CompositionScatteringFactors result;
  result.MeanF.assign(s.size(), 0.0);
  result.MeanFSquared.assign(s.size(), 0.0);
  for (const auto & component : composition.Components)
  {
    for (size_t i = 0; i < s.size(); ++i)
    {
      const double f = scale * ElectronScatteringFactor(component.Z, s[i], table);
      result.MeanF[i] += component.Fraction * f;
      result.MeanFSquared[i] += component.Fraction * f * f;
    }
  }
  return result;
}
} // namespace stempdf
