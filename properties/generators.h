// Generators of operation sequences for the property suite, the CLI and anything else that needs
// random but meaningful traffic for the capsule store.
//
// Every value comes from the shared pools (idemcheck/pools.h), so keys, payloads, principals and
// client IDs collide often and the edge values recur. Store-chosen IDs are drawn as small ordinals
// (`CapsuleRef{1..4}`, `MemoryRef{1..6}`, ...), the last ones rarely produced yet, so every
// vector of ops is valid input and removing ops while shrinking keeps it meaningful: a ref just
// names whichever ID is now the n-th one seen.
//
// A sequence starts with up to two CreateCapsule (mostly alice's, then bob's). After that each
// step is one of:
//   - a fresh op, drawn with the profile's weights per operation;
//   - a replay: a verbatim copy of an earlier create, chunk or finish (a client retry);
//   - an upload step: the next chunk, a chunk retry, the finish or the abort of the last upload
//     begun, as its client would send it (the session ref is the likely one);
//   - a revoke of the role the last Grant gave, or a fresh op made by that grantee in that
//     capsule: how access is gained and lost between a create and its retry.
// Replays and upload and revoke steps are concrete copies, so shrinking (removing ops, moving
// values toward the front of their pools) never changes what they are.
//
// A profile sets the weights and how often each kind of step occurs:
//
//   mixed     every operation of SEMANTICS.md, some of each kind of step
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
