// Generators of operation sequences for the property suite, the CLI and anything else that needs
// random but meaningful traffic for the capsule store.
//
// Every value comes from the shared pools (idemcheck/pools.h), so keys, payloads, principals and
// client IDs collide often and the edge values recur. Store-chosen IDs are drawn as small ordinals
// (`CapsuleRef{1..3}`, `MemoryRef{1..4}`, ...), occasionally one that no op has produced yet, so
// every vector of ops is valid input and removing ops while shrinking keeps it meaningful: a ref
// just names whichever ID is now the n-th one seen.
//
// A profile chooses which operations appear and how often. Every profile can re-issue an earlier
// create verbatim at a later point ("replay"), which is how retries enter a sequence.
//
//   mixed     every operation of SEMANTICS.md; the default and what P13 runs
//   memories  memory creates, reads and deletes with grants, revokes, clock and Upgrade
//   named     galleries and folders (client-supplied UUIDs, parents, tombstones)
//   uploads   chunked uploads: begin, chunk retries with same and other bytes, finish, abort
//   access    grants and revokes between retries, callers without access, the anonymous one
//   clock     creates and retries around the retention and session TTL boundaries
//   upgrade   every operation, with an Upgrade every few steps
//   replay    creates of every kind, re-issued often: a retry storm

#ifndef IDEMCHECK_PROPERTIES_GENERATORS_H_
#define IDEMCHECK_PROPERTIES_GENERATORS_H_

#include <cstddef>
#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "idemcheck/ops.h"
#include "idemcheck/values.h"
#include "rapidcheck.h"

namespace idemcheck::properties {

struct ProfileInfo {
  std::string name;
  std::string summary;
};

// Every profile, in the order of the table above.
const std::vector<ProfileInfo>& Profiles();

// A generator of sequences of at most `max_ops` operations (fewer at small RapidCheck sizes),
// shrinking by removing operations and by moving values toward the front of their pools.
// InvalidArgument naming the valid profiles when `profile` is unknown.
absl::StatusOr<rc::Gen<std::vector<Op>>> GenOps(absl::string_view profile, size_t max_ops,
                                                const Limits& limits = {});

// Exactly `count` operations of `profile`, the same for the same (seed, count, profile) on every
// run and machine: for tools that write sample traffic without RapidCheck's runner.
absl::StatusOr<std::vector<Op>> SampleOps(uint64_t seed, size_t count, absl::string_view profile,
                                          const Limits& limits = {});

}  // namespace idemcheck::properties

// RapidCheck shows generated ops with the project's printer (printer.h).
namespace rc {
template <>
void show<idemcheck::Op>(const idemcheck::Op& op, std::ostream& os);
}  // namespace rc

#endif  // IDEMCHECK_PROPERTIES_GENERATORS_H_
