#include "tools/flags.h"

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace idemcheck::cli {

absl::StatusOr<Flags> Flags::Parse(const std::vector<std::string>& args,
                                   const std::vector<FlagSpec>& specs, size_t max_positional) {
  Flags flags;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& word = args[i];
    if (!absl::StartsWith(word, "--")) {
      if (flags.positional_.size() >= max_positional) {
        return absl::InvalidArgumentError(absl::StrCat("unexpected argument '", word, "'"));
      }
      flags.positional_.push_back(word);
      continue;
    }
    const std::string name = word.substr(2);
    const FlagSpec* spec = nullptr;
    for (const FlagSpec& s : specs) {
      if (s.name == name) spec = &s;
    }
    if (spec == nullptr) {
      return absl::InvalidArgumentError(absl::StrCat(
          "unknown flag '", word, "'; accepted: ",
          absl::StrJoin(specs, ", ", [](std::string* out, const FlagSpec& s) {
            absl::StrAppend(out, "--", s.name);
          })));
    }
    if (flags.values_.contains(name)) {
      return absl::InvalidArgumentError(absl::StrCat("flag '", word, "' given twice"));
    }
    if (!spec->takes_value) {
      flags.values_[name] = "";
      continue;
    }
    if (i + 1 >= args.size()) {
      return absl::InvalidArgumentError(absl::StrCat("flag '", word, "' needs a value"));
    }
    flags.values_[name] = args[++i];
  }
  return flags;
}

std::optional<std::string> Flags::String(absl::string_view name) const {
  auto it = values_.find(name);
  if (it == values_.end()) return std::nullopt;
  return it->second;
}

absl::StatusOr<uint64_t> Flags::Uint(absl::string_view name, uint64_t fallback, uint64_t min,
                                     uint64_t max) const {
  auto it = values_.find(name);
  if (it == values_.end()) return fallback;
  uint64_t value = 0;
  if (!absl::SimpleAtoi(it->second, &value) || it->second.empty() || it->second[0] == '+' ||
      value < min || value > max) {
    return absl::InvalidArgumentError(absl::StrCat("--", name, " takes a whole number from ", min,
                                                   " to ", max, ", not '", it->second, "'"));
  }
  return value;
}

}  // namespace idemcheck::cli
