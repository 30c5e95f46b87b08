#include "fuzz/record_mutator.h"

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "fuzz/decoder.h"
#include "fuzz/seeds.h"

namespace idemcheck::fuzz {
namespace {

using Rng = std::minstd_rand;

size_t Below(Rng& rng, size_t n) { return n == 0 ? 0 : rng() % n; }

// The input as its setup byte and a list of records.
class Records {
 public:
  Records(const uint8_t* data, size_t size)
      : setup_(size > 0 ? data[0] : 0),
        bytes_(size > 1 ? reinterpret_cast<const char*>(data) + 1 : "",
               size > 1 ? (size - 1) / kRecordBytes * kRecordBytes : 0) {}

  size_t count() const { return bytes_.size() / kRecordBytes; }
  uint8_t& setup() { return setup_; }
  uint8_t* record(size_t i) { return reinterpret_cast<uint8_t*>(&bytes_[i * kRecordBytes]); }

  // Inserts whole records (`records` is a multiple of kRecordBytes) before record `at`.
  void Insert(size_t at, const std::string& records) { bytes_.insert(at * kRecordBytes, records); }
  std::string Copy(size_t i) const { return bytes_.substr(i * kRecordBytes, kRecordBytes); }
  void Erase(size_t i) { bytes_.erase(i * kRecordBytes, kRecordBytes); }
  // Records [from, to) as bytes.
  std::string Run(size_t from, size_t to) const {
    return bytes_.substr(from * kRecordBytes, (to - from) * kRecordBytes);
  }

  // Writes setup byte and records, as many as fit in `max_size`, and returns the size.
  size_t Store(uint8_t* data, size_t max_size) const {
    if (max_size == 0) return 0;
    data[0] = setup_;
    const size_t room = std::min(max_size, kMaxInputBytes) - 1;
    const size_t n = std::min(bytes_.size(), room / kRecordBytes * kRecordBytes);
    std::memcpy(data + 1, bytes_.data(), n);
    return 1 + n;
  }

 private:
  uint8_t setup_;
  std::string bytes_;
};

std::string RandomRecord(Rng& rng) {
  std::string record(kRecordBytes, '\0');
  for (char& c : record) c = static_cast<char>(rng() & 0xFF);
  // Mostly operations: a marker is its own strategy.
  record[0] = static_cast<char>(Below(rng, kFaultMarker));
  return record;
}

// Every distinct record of the seed sequences: operations that are known to get somewhere.
const std::vector<std::string>& KnownRecords() {
  static const auto* known = [] {
    std::set<std::string> distinct;
    for (const Seed& seed : Seeds()) {
      const std::string bytes = Encode(seed.input).value_or("");
      for (size_t i = 1; i + kRecordBytes <= bytes.size(); i += kRecordBytes) {
        distinct.insert(bytes.substr(i, kRecordBytes));
      }
    }
    return new std::vector<std::string>(distinct.begin(), distinct.end());
  }();
  return *known;
}

enum Strategy : uint8_t {
  kMutateOneRecord,  // libFuzzer's byte mutations, within one record
  kRepeatRecord,     // the same operation again, at once or later: a retry
  kInsertRecord,     // a new random operation
  kInsertKnown,      // a record of the seeds (the dictionary, aligned)
  kEraseRecord,
  kMoveRecord,
  kMarkFault,  // the operation fails part-way and is retried
  kChangeSetup,
  kMutateWhole,  // libFuzzer on the whole input: dictionary words, crossing records
};
// As many removals as insertions, so that inputs do not only grow: a long input costs more per
// run and libFuzzer prefers the shorter of two inputs that reach the same coverage.
constexpr std::array<Strategy, 16> kStrategies = {
    kMutateOneRecord, kMutateOneRecord, kMutateOneRecord, kMutateOneRecord,
    kRepeatRecord,    kRepeatRecord,    kInsertKnown,     kInsertRecord,
    kEraseRecord,     kEraseRecord,     kEraseRecord,     kMoveRecord,
    kMarkFault,       kChangeSetup,     kMutateWhole,     kMutateWhole,
};
}  // namespace

size_t MutateRecords(uint8_t* data, size_t size, size_t max_size, unsigned int seed,
                     ByteMutator mutate) {
  Rng rng(seed);
  const Strategy strategy = kStrategies[Below(rng, kStrategies.size())];
  if (strategy == kMutateWhole && max_size > 0) {
    size = mutate(data, size, std::min(max_size, kMaxInputBytes));
  }
  Records records(data, size);
  const size_t n = records.count();
  switch (strategy) {
    case kMutateOneRecord:
      if (n > 0) {
        uint8_t* record = records.record(Below(rng, n));
        std::array<uint8_t, kRecordBytes> copy;
        std::memcpy(copy.data(), record, kRecordBytes);
        const size_t used = mutate(copy.data(), kRecordBytes, kRecordBytes);
        std::memcpy(record, copy.data(), used);
        break;
      }
      [[fallthrough]];
    case kInsertRecord:
      records.Insert(Below(rng, n + 1), RandomRecord(rng));
      break;
    case kInsertKnown: {
      const std::vector<std::string>& known = KnownRecords();
      if (!known.empty()) records.Insert(Below(rng, n + 1), known[Below(rng, known.size())]);
      break;
    }
    case kRepeatRecord:
      if (n > 0) {
        const size_t from = Below(rng, n);
        // Half the time right after the original, as a client retries at once.
        const size_t to = rng() % 2 == 0 ? from + 1 : from + 1 + Below(rng, n - from);
        records.Insert(to, records.Copy(from));
      }
      break;
    case kEraseRecord:
      if (n > 0) records.Erase(Below(rng, n));
      break;
    case kMoveRecord:
      if (n > 1) {
        const size_t from = Below(rng, n);
        const std::string record = records.Copy(from);
        records.Erase(from);
        records.Insert(Below(rng, n), record);
      }
      break;
    case kMarkFault: {
      std::string marker(kRecordBytes, '\0');
      marker[0] = static_cast<char>(kFaultMarker + Below(rng, kFaultSteps));
      records.Insert(Below(rng, n + 1), marker);
      break;
    }
    case kChangeSetup:
      records.setup() ^= static_cast<uint8_t>(1u << Below(rng, 3));
      break;
    case kMutateWhole:
      break;
  }
  return records.Store(data, max_size);
}

size_t CrossRecords(const uint8_t* data1, size_t size1, const uint8_t* data2, size_t size2,
                    uint8_t* out, size_t max_out_size, unsigned int seed) {
  Rng rng(seed);
  Records first(data1, size1);
  const Records second(data2, size2);
  const size_t n = second.count();
  const size_t from = Below(rng, n + 1);
  const size_t to = from + Below(rng, n - from + 1);
  first.Insert(Below(rng, first.count() + 1), second.Run(from, to));
  return first.Store(out, max_out_size);
}

}  // namespace idemcheck::fuzz
