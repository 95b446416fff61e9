#include "stempdfMLLSPopulations.h"

#include "itkMacro.h"

#include <cctype>
#include <cstdlib>

namespace stempdf
{
PopulationSums::PopulationSums(size_t components)
  : FractionSums(components, 0.0)
  , DominantCounts(components, 0.0)
{}

void
PopulationSums::Accumulate(const double * fractions, size_t positions, const std::vector<bool> & selected)
{
  const size_t k = selected.size();
  FractionSums.resize(k, 0.0);
  DominantCounts.resize(k, 0.0);
  for (size_t p = 0; p < positions; ++p)
  {
    const double * f = fractions + p * k;
    size_t         dominant = k;
    for (size_t i = 0; i < k; ++i)
    {
      if (selected[i])
      {
        FractionSums[i] += f[i];
        if (f[i] > 0.0 && (dominant == k || f[i] > f[dominant]))
        {
          dominant = i;
        }
      }
    }
    if (dominant < k)
    {
      DominantCounts[dominant] += 1.0;
    }
    else
    {
      ZeroSumPositions += 1.0;
    }
  }
  Positions += static_cast<double>(positions);
}

PopulationSums &
PopulationSums::operator+=(const PopulationSums & other)
{
  FractionSums.resize(other.FractionSums.size(), 0.0);
  DominantCounts.resize(other.DominantCounts.size(), 0.0);
  for (size_t i = 0; i < other.FractionSums.size(); ++i)
  {
    FractionSums[i] += other.FractionSums[i];
    DominantCounts[i] += other.DominantCounts[i];
  }
  Positions += other.Positions;
  ZeroSumPositions += other.ZeroSumPositions;
  return *this;
}

std::vector<double>
PopulationSums::Pack() const
{
  std::vector<double> packed(FractionSums);
  packed.insert(packed.end(), DominantCounts.begin(), DominantCounts.end());
  packed.push_back(Positions);
  packed.push_back(ZeroSumPositions);
  return packed;
}

PopulationSums
PopulationSums::Unpack(const std::vector<double> & packed)
{
  const size_t   k = packed.size() >= 2 ? (packed.size() - 2) / 2 : 0;
  PopulationSums sums(k);
  for (size_t i = 0; i < k; ++i)
  {
    sums.FractionSums[i] = packed[i];
    sums.DominantCounts[i] = packed[k + i];
  }
  if (packed.size() >= 2)
  {
    sums.Positions = packed[2 * k];
    sums.ZeroSumPositions = packed[2 * k + 1];
  }
  return sums;
}

std::vector<Population>
Populations(const PopulationSums & sums, const std::vector<std::string> & names, const std::vector<bool> & selected)
{
  std::vector<Population> populations(sums.FractionSums.size());
  for (size_t i = 0; i < populations.size(); ++i)
  {
    populations[i].Name = i < names.size() ? names[i] : "Component " + std::to_string(i + 1);
    populations[i].Selected = i < selected.size() ? selected[i] : true;
    if (sums.Positions > 0.0)
    {
      populations[i].MeanFraction = sums.FractionSums[i] / sums.Positions;
      populations[i].AreaFraction = sums.DominantCounts[i] / sums.Positions;
    }
  }
  return populations;
}

std::vector<bool>
ParseComponentSelection(const std::string & text, unsigned int components)
{
  std::vector<bool> selected(components, false);
  if (text.find_first_not_of(" \t\n") == std::string::npos)
  {
    return std::vector<bool>(components, true);
  }
  const auto number = [&](const std::string & token) {
    char *     end = nullptr;
    const long value = std::strtol(token.c_str(), &end, 10);
    if (token.empty() || *end != '\0' || value < 1 || value > static_cast<long>(components))
    {
      itkGenericExceptionMacro(<< "Components: '" << token << "' in \"" << text
                               << "\" is not a component number; expected "
                               << "1-based numbers from 1 to " << components << " separated by commas, e.g. \"1,2\"");
    }
    return static_cast<unsigned int>(value - 1);
  };
  bool        any = false;
  std::string token;
  for (size_t c = 0; c <= text.size(); ++c)
  {
    const char ch = c < text.size() ? text[c] : ',';
    if (ch == ',' || ch == ';' || std::isspace(static_cast<unsigned char>(ch)))
    {
      if (!token.empty())
      {
        const size_t       dash = token.find('-', 1);
        const unsigned int first = number(token.substr(0, dash));
        const unsigned int last = dash == std::string::npos ? first : number(token.substr(dash + 1));
        if (last < first)
        {
          itkGenericExceptionMacro(<< "Components: the range '" << token << "' in \"" << text
                                   << "\" runs backwards; expected e.g. \"1-3\"");
        }
        for (unsigned int i = first; i <= last; ++i)
        {
          selected[i] = true;
          any = true;
        }
        token.clear();
      }
    }
    else
    {
      token += ch;
    }
  }
  if (!any)
  {
    itkGenericExceptionMacro(<< "Components: select at least one component (\"" << text
                             << "\" selects none; leave it empty for all " << components << ")");
  }
  return selected;
}
} // namespace stempdf
