// Executes symbolic operations on one concrete store and renames what it returns (E1).
//
// The driver keeps, per ID kind, the store's IDs in the order the run first saw them: the n-th
// distinct memory ID is `MemoryRef{n}`. Refs in operations resolve through the same table; a ref
// to an ordinal not yet seen resolves to an ID that no store in this project hands out (counting
// down from the top of the 64-bit range), so "unknown ID" cases need no special operation.

#ifndef IDEMCHECK_DRIVER_H_
#define IDEMCHECK_DRIVER_H_

#include <array>
#include <cstdint>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "idemcheck/ops.h"
#include "idemcheck/store.h"

namespace idemcheck {

// One consistent bijection per ID kind between a store's IDs and ordinals.
class Renaming {
 public:
  // The ordinal of `id`, assigning the next one if the run has not seen it.
  uint32_t Name(IdKind kind, StoreId id);

  // The store ID behind ordinal `n`, or a never-issued stand-in when `n` is 0 or unseen.
  StoreId Resolve(IdKind kind, uint32_t n) const;

  // How many distinct IDs of `kind` the run has seen.
  uint32_t Seen(IdKind kind) const;

 private:
  struct Table {
    std::vector<StoreId> ids;  // ordinal n at index n-1
    absl::flat_hash_map<StoreId, uint32_t> ordinals;
  };
  std::array<Table, kIdKindCount> tables_;
};

class Driver {
 public:
  explicit Driver(Store& store) : store_(&store) {}
  // Continues a run whose IDs `renaming` already names: refs resolve through it and new IDs get
  // the next ordinals. Forks one run into several (parallel branches, candidate orders).
  Driver(Store& store, Renaming renaming) : store_(&store), renaming_(std::move(renaming)) {}

  // Runs `op` on the store and returns its outcome with store IDs renamed to refs.
  Outcome Apply(const Op& op);

  // The store's observable state, renamed.
  State Observe();

  const Renaming& renaming() const { return renaming_; }

 private:
  Store* store_;
  Renaming renaming_;
};

}  // namespace idemcheck

#endif  // IDEMCHECK_DRIVER_H_
