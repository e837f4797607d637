// Stage 2's request signature: what a client signs as a JSON object is what
// the server verifies from the parsed request, and any change to a covered
// field breaks it.
#include <gtest/gtest.h>

#include "core/envelope.h"
#include "security/request_signature.h"

namespace lab::security {
namespace {

Request parsed(const Json& request) {
  Json id;
  auto r = parse_request(request.dump(), id);
  EXPECT_TRUE(r.ok());
  return r.ok() ? *r : Request{};
}

Json signed_request(const Key256& key) {
  Json request{{"type", "create_project"},
               {"request_id", 7},
               {"session_id", "s-1"},
               {"payload", {{"name", "ünïcode ✓"}, {"metadata", {{"b", 1}, {"a", {1, 2}}}}}}};
  sign_request(request, key, "alice", 1'700'000'000);
  return request;
}

TEST(RequestSignature, WhatTheClientSignsTheServerVerifiesFromTheParsedRequest) {
  const Key256 key = Key256::random();
  const Json request = signed_request(key);
  EXPECT_EQ(canonical_request(request, "alice", 1'700'000'000),
            canonical_request(parsed(request), "alice", 1'700'000'000));
  EXPECT_TRUE(verify_request_signature(parsed(request), key).ok());
}

// An absent and a null payload are both the empty payload the server reads, so both verify when signed.
TEST(RequestSignature, AbsentOrNullPayloadIsSignedAsTheEmptyOneTheServerReads) {
  const Key256 key = Key256::random();
  Json absent{{"type", "list_projects"}, {"request_id", 1}, {"session_id", "s-1"}};
  Json null_payload = absent;
  null_payload["payload"] = nullptr;
  for (Json request : {absent, null_payload}) {
    sign_request(request, key, "alice", 1'700'000'000);
    EXPECT_TRUE(verify_request_signature(parsed(request), key).ok()) << request.dump();
  }
}

TEST(RequestSignature, AChangedFieldOrAnotherKeyFails) {
  const Key256 key = Key256::random();
  for (const char* field : {"type", "request_id", "session_id"}) {
    Json changed = signed_request(key);
    changed[field] = "other";
    EXPECT_EQ(verify_request_signature(parsed(changed), key).error().code, ErrorCode::kSignatureInvalid) << field;
  }
  Json payload = signed_request(key);
  payload["payload"]["name"] = "renamed";
  EXPECT_EQ(verify_request_signature(parsed(payload), key).error().code, ErrorCode::kSignatureInvalid);
  EXPECT_EQ(verify_request_signature(parsed(signed_request(key)), Key256::random()).error().code,
            ErrorCode::kSignatureInvalid);
  Json unsigned_request = signed_request(key);
  unsigned_request.erase("auth");
  EXPECT_EQ(verify_request_signature(parsed(unsigned_request), key).error().code, ErrorCode::kAuthRequired);
}

}  // namespace
}  // namespace lab::security
