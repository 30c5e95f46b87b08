// The seed sequences of the fuzz corpora: one short interleaved sequence per behaviour that the
// scenario tests check, written with pool values only so that `Encode` (decoder.h) turns each into
// the bytes of one corpus file. Starting from these, a fuzzer mutates sequences that already reach
// deep states (replays, tombstones, committed uploads, expiry) instead of rediscovering them.

#ifndef IDEMCHECK_FUZZ_SEEDS_H_
#define IDEMCHECK_FUZZ_SEEDS_H_

#include <string>
#include <vector>

#include "fuzz/decoder.h"

namespace idemcheck::fuzz {

struct Seed {
  std::string name;  // the file name: the rule it exercises, then what it does
  FuzzInput input;
};

// Every seed, in a fixed order, names unique.
const std::vector<Seed>& Seeds();

}  // namespace idemcheck::fuzz

#endif  // IDEMCHECK_FUZZ_SEEDS_H_
