// Snapshots of impl: round trips (T2) and every class of corrupt input (T3). Every rejection
// must be Corrupt (absl::DataLossError) with a message that names a byte offset inside the input.

#include <cstdint>
#include <memory>
#include <regex>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/match.h"
#include "absl/strings/string_view.h"
#include "gtest/gtest.h"
#include "idemcheck/driver.h"
#include "idemcheck/ops.h"
#include "idemcheck/printer.h"
#include "impl/impl_store.h"
#include "impl/snapshot.h"
#include "tests/impl_test_util.h"
#include "tests/scenario.h"

namespace idemcheck::testing {
namespace {

using snapshot::JoinSections;
using snapshot::Section;
using snapshot::SectionView;
using snapshot::SplitSections;
using snapshot::Writer;

// An ImplStore after `ops`, and the driver that ran them (for its renaming).
struct Built {
  std::unique_ptr<ImplStore> store;
  std::unique_ptr<Driver> driver;
};

Built Build(const std::vector<Op>& ops, const StoreOptions& options = {}) {
  Built built{std::make_unique<ImplStore>(options), nullptr};
  built.driver = std::make_unique<Driver>(*built.store);
  for (const Op& op : ops) {
    const Outcome outcome = built.driver->Apply(op);
    EXPECT_NE(outcome.code, Code::kOutsideContract) << ToString(op) << " -> " << ToString(outcome);
  }
  return built;
}

std::string RichSnapshot() { return Build(RichHistory()).store->Snapshot(); }

// Corrupt, and the message names an offset in 0..input_size.
void ExpectCorrupt(const absl::StatusOr<std::unique_ptr<ImplStore>>& restored, size_t input_size,
                   absl::string_view mentions = "") {
  ASSERT_FALSE(restored.ok());
  EXPECT_EQ(restored.status().code(), absl::StatusCode::kDataLoss) << restored.status();
  const std::string message(restored.status().message());
  std::smatch match;
  ASSERT_TRUE(std::regex_search(message, match, std::regex("at offset ([0-9]+)"))) << message;
  EXPECT_LE(std::stoull(match[1].str()), input_size) << message;
  if (!mentions.empty()) {
    EXPECT_TRUE(absl::StrContains(message, mentions)) << message;
  }
}

std::vector<Section> Owned(const std::vector<SectionView>& views) {
  std::vector<Section> sections;
  for (const SectionView& view : views) sections.push_back({view.tag, std::string(view.body)});
  return sections;
}

std::vector<Section> RichSections() {
  const std::string bytes = RichSnapshot();
  absl::StatusOr<std::vector<SectionView>> views = SplitSections(bytes);
  EXPECT_TRUE(views.ok()) << views.status();
  return views.ok() ? Owned(*views) : std::vector<Section>{};
}

// ---- Round trips ---------------------------------------------------------------------------

TEST(ImplSnapshot, T2_empty_store_round_trips) {
  ImplStore empty;
  const std::string bytes = empty.Snapshot();
  absl::StatusOr<std::unique_ptr<ImplStore>> restored = ImplStore::Restore(bytes, {});
  ASSERT_TRUE(restored.ok()) << restored.status();
  EXPECT_EQ((*restored)->Snapshot(), bytes);
  EXPECT_TRUE((*restored)->Observe().empty());
}

// Restoring, under either lookup hash, gives a store with the same state and the same answers,
// down to the raw store-chosen IDs, on the probe that exercises every kind of state.
TEST(ImplSnapshot, T2_round_trip_preserves_state_and_behaviour) {
  for (const std::string& name : ImplStores()) {
    SCOPED_TRACE(name);
    Built original = Build(RichHistory());
    const std::string bytes = original.store->Snapshot();
    StoreOptions options;
    if (name == "impl/weak-hash")
      options.lookup_hash = [](absl::string_view) -> uint64_t { return 3; };
    absl::StatusOr<std::unique_ptr<ImplStore>> restored = ImplStore::Restore(bytes, options);
    ASSERT_TRUE(restored.ok()) << restored.status();
    EXPECT_EQ((*restored)->Snapshot(), bytes);  // the encoding is canonical
    EXPECT_EQ((*restored)->Observe(), original.store->Observe());

    Driver before(*original.store);
    Driver after(**restored);
    for (const Op& op : Probe()) {
      ASSERT_EQ(after.Apply(op), before.Apply(op)) << ToString(op);
      ASSERT_EQ((*restored)->Observe(), original.store->Observe()) << ToString(op);
    }
    EXPECT_EQ((*restored)->Snapshot(), original.store->Snapshot());
  }
}

// T2: after a restore no ID of any kind is handed out twice.
TEST(ImplSnapshot, T2_id_sequences_continue) {
  Built original = Build(RichHistory());
  absl::flat_hash_set<StoreId> seen[kIdKindCount];
  for (int kind = 0; kind < kIdKindCount; ++kind) {
    const auto k = static_cast<IdKind>(kind);
    for (uint32_t n = 1; n <= original.driver->renaming().Seen(k); ++n) {
      seen[kind].insert(original.driver->renaming().Resolve(k, n));
    }
    ASSERT_FALSE(seen[kind].empty()) << "the history hands out every kind of ID";
  }
  absl::StatusOr<std::unique_ptr<ImplStore>> restored =
      ImplStore::Restore(original.store->Snapshot(), {});
  ASSERT_TRUE(restored.ok()) << restored.status();
  ImplStore& store = **restored;

  absl::StatusOr<StoreId> capsule = store.CreateCapsule("dave", "dave");
  absl::StatusOr<StoreId> memory = store.CreateMemory(kAlice, 1, kPhoto, "");
  absl::StatusOr<StoreId> session = store.BeginUpload(kAlice, 1, 1, "");
  ASSERT_TRUE(capsule.ok() && memory.ok() && session.ok());
  ASSERT_TRUE(store.PutChunk(kAlice, *session, 0, "x").ok());
  absl::StatusOr<StoreId> blob = store.FinishUpload(kAlice, *session, 1, Fnv1a64("x"));
  ASSERT_TRUE(blob.ok()) << blob.status();
  EXPECT_FALSE(seen[static_cast<int>(IdKind::kCapsule)].contains(*capsule));
  EXPECT_FALSE(seen[static_cast<int>(IdKind::kMemory)].contains(*memory));
  EXPECT_FALSE(seen[static_cast<int>(IdKind::kSession)].contains(*session));
  EXPECT_FALSE(seen[static_cast<int>(IdKind::kBlob)].contains(*blob));
}

// Restoring with a shorter window drops what has expired under it, consistently.
TEST(ImplSnapshot, T2_restore_applies_the_restoring_stores_windows) {
  Built original = Build(RichHistory());
  StoreOptions short_windows;
  short_windows.limits.retention_seconds = 30;
  short_windows.limits.session_ttl_seconds = 30;
  absl::StatusOr<std::unique_ptr<ImplStore>> restored =
      ImplStore::Restore(original.store->Snapshot(), short_windows);
  ASSERT_TRUE(restored.ok()) << restored.status();
  // Every record, tombstone and pending session of the history is older than 30 s.
  EXPECT_EQ((*restored)->PutChunk(kAlice, 1, 1, "x").code(), absl::StatusCode::kNotFound);
  absl::StatusOr<StoreId> again = (*restored)->CreateMemory(kAlice, 1, kNote, "k1");
  ASSERT_TRUE(again.ok()) << again.status();  // k1 is free again: a new memory, not Conflict
  absl::StatusOr<std::unique_ptr<ImplStore>> twice =
      ImplStore::Restore((*restored)->Snapshot(), short_windows);
  ASSERT_TRUE(twice.ok()) << twice.status();
  EXPECT_EQ((*twice)->Snapshot(), (*restored)->Snapshot());
}

// ---- Corrupt input -------------------------------------------------------------------------

TEST(ImplSnapshot, T3_truncated_snapshot_is_corrupt_at_every_length) {
  const std::string bytes = RichSnapshot();
  for (size_t n = 0; n < bytes.size(); ++n) {
    SCOPED_TRACE(n);
    ExpectCorrupt(ImplStore::Restore(absl::string_view(bytes).substr(0, n), {}), n);
  }
}

TEST(ImplSnapshot, T3_every_single_bit_flip_is_corrupt) {
  const std::string bytes = RichSnapshot();
  for (size_t i = 0; i < bytes.size(); ++i) {
    for (int bit = 0; bit < 8; ++bit) {
      std::string flipped = bytes;
      flipped[i] = static_cast<char>(flipped[i] ^ (1 << bit));
      SCOPED_TRACE(::testing::Message() << "byte " << i << " bit " << bit);
      ExpectCorrupt(ImplStore::Restore(flipped, {}), flipped.size());
    }
  }
}

TEST(ImplSnapshot, T3_reordered_missing_or_repeated_sections_are_corrupt) {
  const std::vector<Section> sections = RichSections();
  ASSERT_EQ(sections.size(), 7u);
  for (size_t i = 0; i + 1 < sections.size(); ++i) {
    std::vector<Section> swapped = sections;
    std::swap(swapped[i], swapped[i + 1]);
    const std::string bytes = JoinSections(swapped);
    ExpectCorrupt(ImplStore::Restore(bytes, {}), bytes.size(), "expected");
  }
  for (size_t i = 0; i < sections.size(); ++i) {
    std::vector<Section> missing = sections;
    missing.erase(missing.begin() + i);
    const std::string bytes = JoinSections(missing);
    ExpectCorrupt(ImplStore::Restore(bytes, {}), bytes.size(), "sections, expected 7");
    std::vector<Section> repeated = sections;
    repeated[i == 0 ? 1 : i] = sections[i == 0 ? 0 : i - 1];
    const std::string repeated_bytes = JoinSections(repeated);
    ExpectCorrupt(ImplStore::Restore(repeated_bytes, {}), repeated_bytes.size(), "expected");
  }
  std::vector<Section> unknown = sections;
  unknown[3].tag = 99;
  const std::string bytes = JoinSections(unknown);
  ExpectCorrupt(ImplStore::Restore(bytes, {}), bytes.size(), "tag 99");
}

TEST(ImplSnapshot, T3_wrong_version_is_corrupt) {
  const std::string bytes = JoinSections(RichSections(), snapshot::kVersion + 1);
  ExpectCorrupt(ImplStore::Restore(bytes, {}), bytes.size(), "unsupported version 2");
}

TEST(ImplSnapshot, T3_bad_magic_is_corrupt) {
  std::string bytes = RichSnapshot();
  bytes[0] = 'X';
  ExpectCorrupt(ImplStore::Restore(bytes, {}), bytes.size(), "bad magic");
}

TEST(ImplSnapshot, T3_bad_checksum_is_corrupt) {
  std::string bytes = RichSnapshot();
  bytes.back() = static_cast<char>(bytes.back() + 1);
  ExpectCorrupt(ImplStore::Restore(bytes, {}), bytes.size(), "checksum mismatch");
}

TEST(ImplSnapshot, T3_trailing_garbage_is_corrupt) {
  for (const std::string& garbage :
       {std::string(1, '\0'), std::string("x"), std::string("IDEMSNAP")}) {
    std::string bytes = RichSnapshot() + garbage;
    ExpectCorrupt(ImplStore::Restore(bytes, {}), bytes.size(), "trailing garbage");
  }
}

// Framing bytes with a valid checksum, so that only the hostile field is wrong.
std::string Sealed(const std::string& body) {
  Writer w;
  w.Raw(body);
  std::string bytes = std::move(w).Finish();
  Writer checksum;
  checksum.U64(snapshot::Checksum(bytes));
  return bytes + std::move(checksum).Finish();
}

std::string Header(uint32_t section_count) {
  Writer w;
  w.Raw(snapshot::kMagic);
  w.U32(snapshot::kVersion);
  w.U32(section_count);
  return std::move(w).Finish();
}

TEST(ImplSnapshot, T3_hostile_section_count_and_length_are_corrupt) {
  const std::string huge_count = Sealed(Header(0xFFFFFFFF));
  ExpectCorrupt(ImplStore::Restore(huge_count, {}), huge_count.size(), "section count");

  Writer section;
  section.U32(1);
  section.U64(~uint64_t{0});
  const std::string huge_length = Sealed(Header(1) + std::move(section).Finish());
  ExpectCorrupt(ImplStore::Restore(huge_length, {}), huge_length.size(), "length");
}

std::string WithSection(std::vector<Section> sections, uint32_t tag, std::string body) {
  for (Section& section : sections) {
    if (section.tag == tag) section.body = std::move(body);
  }
  return JoinSections(sections);
}

TEST(ImplSnapshot, T3_hostile_element_counts_are_corrupt) {
  const std::vector<Section> sections = RichSections();
  for (uint32_t tag = 2; tag <= 7; ++tag) {
    SCOPED_TRACE(tag);
    Writer body;
    body.U32(0xFFFFFFFF);
    body.Raw(std::string(64, '\0'));
    const std::string bytes = WithSection(sections, tag, std::move(body).Finish());
    ExpectCorrupt(ImplStore::Restore(bytes, {}), bytes.size(), "count 4294967295");
  }
}

TEST(ImplSnapshot, T3_hostile_string_length_is_corrupt) {
  Writer capsules;
  capsules.U32(2);           // as many as the rich history's capsule counter
  capsules.U32(0xFFFFFFF0);  // subject length
  capsules.Raw(std::string(64, 'a'));
  const std::string bytes = WithSection(RichSections(), 2, std::move(capsules).Finish());
  ExpectCorrupt(ImplStore::Restore(bytes, {}), bytes.size(), "exceeds the limit");
}

// A small valid snapshot written field by field, so that each test changes exactly one thing.
struct TinySnapshot {
  uint64_t now = 1000;
  uint64_t last_memory = 2;
  std::vector<std::string> owners = {"alice", "bob"};
  uint64_t memory_id = 1;
  uint64_t memory_capsule = 1;
  uint64_t record_memory = 1;
  uint64_t record_time = 900;
  uint8_t record_deleted = 0;
  bool repeat_record = false;
  bool repeat_gallery = false;
  uint8_t folder_parent_flag = 0;
  uint32_t expected_chunks = 2;
  uint32_t chunk_index = 1;
  uint8_t session_state = 0;
  uint64_t session_digest = 0;

  std::string Bytes() const {
    std::vector<Section> sections;
    Writer clock;
    for (uint64_t v : {now, uint64_t{1}, last_memory, uint64_t{1}, uint64_t{0}}) clock.U64(v);
    sections.push_back({1, std::move(clock).Finish()});

    Writer capsules;
    capsules.U32(1);
    capsules.String("alice");
    capsules.U32(static_cast<uint32_t>(owners.size()));
    for (const std::string& owner : owners) capsules.String(owner);
    capsules.U32(0);
    sections.push_back({2, std::move(capsules).Finish()});

    Writer memories;
    memories.U32(1);
    memories.U64(memory_id);
    memories.U64(memory_capsule);
    memories.String("title");
    memories.String("content");
    sections.push_back({3, std::move(memories).Finish()});

    Writer records;
    records.U32(repeat_record ? 2 : 1);
    for (int i = 0; i < (repeat_record ? 2 : 1); ++i) {
      records.U64(1);
      records.U64(i == 0 ? record_memory : 2);
      records.U64(record_time);
      records.String("alice");
      records.String("key");
      records.U8(i == 0 ? record_deleted : 1);
      if ((i == 0 ? record_deleted : 1) == 1) {
        records.String("t");
        records.String("c");
      }
    }
    sections.push_back({4, std::move(records).Finish()});

    Writer galleries;
    galleries.U32(repeat_gallery ? 2 : 1);
    for (int i = 0; i < (repeat_gallery ? 2 : 1); ++i) {
      galleries.Raw(std::string(16, '\x11'));
      galleries.U64(1);
      galleries.String("gallery");
    }
    galleries.U32(0);
    sections.push_back({5, std::move(galleries).Finish()});

    Writer folders;
    folders.U32(1);
    folders.Raw(std::string(16, '\x22'));
    folders.U64(1);
    folders.String("folder");
    folders.U8(folder_parent_flag);
    folders.U32(0);
    sections.push_back({6, std::move(folders).Finish()});

    Writer sessions;
    sessions.U32(1);
    sessions.U64(1);
    sessions.U64(1);
    sessions.String("alice");
    sessions.String("upload");
    sessions.U32(expected_chunks);
    sessions.U64(800);
    sessions.U8(session_state);
    sessions.U64(0);
    sessions.U64(0);
    sessions.U64(session_digest);
    sessions.U32(1);
    sessions.U32(chunk_index);
    sessions.String("chunk");
    sections.push_back({7, std::move(sessions).Finish()});
    return JoinSections(sections);
  }
};

TEST(ImplSnapshot, T3_tiny_snapshot_is_valid) {
  absl::StatusOr<std::unique_ptr<ImplStore>> restored =
      ImplStore::Restore(TinySnapshot{}.Bytes(), {});
  ASSERT_TRUE(restored.ok()) << restored.status();
  EXPECT_EQ((*restored)->Observe().size(), 1u);
  EXPECT_EQ((*restored)->CreateMemory("alice", 1, {"title", "content"}, "key").value(), 1u);
}

TEST(ImplSnapshot, T3_inconsistent_contents_are_corrupt) {
  struct Case {
    std::string name;
    TinySnapshot snapshot;
    std::string mentions;
  };
  std::vector<Case> cases;
  auto add = [&cases](std::string name, auto change, std::string mentions) {
    TinySnapshot tiny;
    change(tiny);
    cases.push_back({std::move(name), tiny, std::move(mentions)});
  };
  add(
      "clock near wrapping", [](TinySnapshot& t) { t.now = ~uint64_t{0}; }, "clock");
  add(
      "unsorted owners",
      [](TinySnapshot& t) {
        t.owners = {"bob", "alice"};
      },
      "sorted");
  add(
      "repeated owner",
      [](TinySnapshot& t) {
        t.owners = {"bob", "bob"};
      },
      "sorted");
  add(
      "anonymous owner", [](TinySnapshot& t) { t.owners = {std::string(kAnonymous)}; },
      "anonymous owner");
  add(
      "no owner", [](TinySnapshot& t) { t.owners = {}; }, "without an owner");
  add(
      "memory in no capsule", [](TinySnapshot& t) { t.memory_capsule = 7; }, "names no capsule");
  add(
      "memory beyond its counter", [](TinySnapshot& t) { t.memory_id = 3; }, "outside 1..2");
  add(
      "record of no memory", [](TinySnapshot& t) { t.record_memory = 2; }, "record names memory");
  add(
      "record after the clock", [](TinySnapshot& t) { t.record_time = 1001; }, "after the clock");
  add(
      "record flag", [](TinySnapshot& t) { t.record_deleted = 2; }, "neither 0 nor 1");
  add(
      "deleted memory that is live", [](TinySnapshot& t) { t.record_deleted = 1; },
      "appears twice");
  add(
      "two records of one scope", [](TinySnapshot& t) { t.repeat_record = true; },
      "two live records");
  add(
      "gallery ID held twice", [](TinySnapshot& t) { t.repeat_gallery = true; }, "held twice");
  add(
      "folder parent flag", [](TinySnapshot& t) { t.folder_parent_flag = 5; }, "neither 0 nor 1");
  add(
      "no expected chunks", [](TinySnapshot& t) { t.expected_chunks = 0; }, "out of range");
  add(
      "chunk index past expected", [](TinySnapshot& t) { t.chunk_index = 2; }, "chunk index 2");
  add(
      "session state", [](TinySnapshot& t) { t.session_state = 2; }, "session state 2");
  add(
      "pending session with a digest", [](TinySnapshot& t) { t.session_digest = 1; },
      "pending session with a result");
  add(
      "committed session without all chunks", [](TinySnapshot& t) { t.session_state = 1; },
      "1 chunks for 2 expected");
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    const std::string bytes = c.snapshot.Bytes();
    ExpectCorrupt(ImplStore::Restore(bytes, {}), bytes.size(), c.mentions);
  }
}

}  // namespace
}  // namespace idemcheck::testing
