// Parsing of `--name value` and `--switch` words for CLI subcommands, with errors that say what
// was wrong and what is accepted.

#ifndef IDEMCHECK_TOOLS_FLAGS_H_
#define IDEMCHECK_TOOLS_FLAGS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace idemcheck::cli {

struct FlagSpec {
  std::string name;         // without the dashes
  bool takes_value = true;  // false: a switch
};

class Flags {
 public:
  // Accepts exactly the flags in `specs`, each at most once, and up to `max_positional` words
  // that do not start with "--". "-" alone is positional (standard input).
  static absl::StatusOr<Flags> Parse(const std::vector<std::string>& args,
                                     const std::vector<FlagSpec>& specs,
                                     size_t max_positional = 0);

  bool Has(absl::string_view name) const { return values_.contains(name); }
  std::optional<std::string> String(absl::string_view name) const;
  // InvalidArgument unless the value is a whole number in [min, max].
  absl::StatusOr<uint64_t> Uint(absl::string_view name, uint64_t fallback, uint64_t min = 0,
                                uint64_t max = UINT64_MAX) const;
  const std::vector<std::string>& positional() const { return positional_; }

 private:
  absl::flat_hash_map<std::string, std::string> values_;
  std::vector<std::string> positional_;
};

}  // namespace idemcheck::cli

#endif  // IDEMCHECK_TOOLS_FLAGS_H_
