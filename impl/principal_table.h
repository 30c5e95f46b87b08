// Interned principals: each distinct caller name is stored once and records refer to it by a
// 4-byte number, which keeps idempotency records and sessions small.
//
// The table only grows. A number says nothing observable (snapshots write names, not numbers),
// so an entry left by an operation that failed after interning changes no behaviour.

#ifndef IDEMCHECK_IMPL_PRINCIPAL_TABLE_H_
#define IDEMCHECK_IMPL_PRINCIPAL_TABLE_H_

#include <cstdint>
#include <deque>
#include <optional>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/string_view.h"

namespace idemcheck::impl_internal {

class PrincipalTable {
 public:
  PrincipalTable() = default;
  // Keys point into names_: the table never moves or copies.
  PrincipalTable(const PrincipalTable&) = delete;
  PrincipalTable& operator=(const PrincipalTable&) = delete;

  // The number of `name`, if interned. Never allocates.
  std::optional<uint32_t> Find(absl::string_view name) const {
    auto it = numbers_.find(name);
    if (it == numbers_.end()) return std::nullopt;
    return it->second;
  }

  // The number of `name`, interning it if new. Strong guarantee: if an allocation fails, the
  // table is unchanged.
  uint32_t Intern(absl::string_view name) {
    if (std::optional<uint32_t> found = Find(name)) return *found;
    numbers_.reserve(numbers_.size() + 1);
    names_.emplace_back(name);
    const auto number = static_cast<uint32_t>(names_.size() - 1);
    numbers_.emplace(names_.back(), number);  // cannot allocate: reserved
    return number;
  }

  absl::string_view Name(uint32_t number) const { return names_[number]; }

 private:
  std::deque<std::string> names_;  // by number; a deque never moves its elements
  absl::flat_hash_map<absl::string_view, uint32_t> numbers_;
};

}  // namespace idemcheck::impl_internal

#endif  // IDEMCHECK_IMPL_PRINCIPAL_TABLE_H_
