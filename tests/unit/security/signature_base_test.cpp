// The bytes a stage 3 request signature covers.
#include "security/signature_base.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace lab::security {
namespace {

const SignatureParams kParams{1'700'000'000, "n0nce", "ab12", "worker/1.0"};

std::string base_of(std::string_view op, const Json& id, std::string_view session, const Json& payload,
                    const SignatureParams& p = kParams) {
  auto b = signature_base(op, id, session, payload, p);
  EXPECT_TRUE(b.ok()) << b.error().message;
  return b.ok() ? *b : "";
}

TEST(SignatureBase, CoversEveryComponentOnItsOwnLineEndingWithTheParameters) {
  const std::string base = base_of("get_project", 7, "tok", Json{{"project_id", "p1"}});
  EXPECT_EQ(base,
            "\"@operation\": get_project\n"
            "\"@request-id\": 7\n"
            "\"@session-id\": tok\n"
            "\"content-digest\": " + content_digest(Json{{"project_id", "p1"}}) + "\n"
            "\"@client\": worker/1.0\n"
            "\"@signature-params\": (\"@operation\" \"@request-id\" \"@session-id\" \"content-digest\" \"@client\")"
            ";created=1700000000;nonce=\"n0nce\";keyid=\"ab12\";alg=\"ecdsa-p256-sha256\"");
}

TEST(SignatureBase, TheContentDigestIsRfc9530Sha256OfTheCanonicalPayload) {
  // SHA-256("{}") = 44136fa3...; base64 of it:
  EXPECT_EQ(content_digest(Json::object()), "sha-256=:RBNvo1WzZ4oRRq0W9+hknpT7T8If536DEMBg9hyq/4o=:");
  // Key order and whitespace in the sender's text do not matter: the canonical form sorts keys.
  EXPECT_EQ(content_digest(Json::parse(R"({ "b":1, "a":2 })")), content_digest(Json::parse(R"({"a":2,"b":1})")));
}

TEST(SignatureBase, ChangingAnyCoveredPartChangesTheBase) {
  const std::string base = base_of("get_project", 7, "tok", Json{{"project_id", "p1"}});
  EXPECT_NE(base, base_of("list_projects", 7, "tok", Json{{"project_id", "p1"}}));
  EXPECT_NE(base, base_of("get_project", 8, "tok", Json{{"project_id", "p1"}}));
  EXPECT_NE(base, base_of("get_project", "7", "tok", Json{{"project_id", "p1"}})) << "7 and \"7\" differ";
  EXPECT_NE(base, base_of("get_project", 7, "tok2", Json{{"project_id", "p1"}}));
  EXPECT_NE(base, base_of("get_project", 7, "tok", Json{{"project_id", "p2"}}));
  for (auto p : {SignatureParams{1'700'000'001, "n0nce", "ab12", "worker/1.0"},
                 SignatureParams{1'700'000'000, "n0ncf", "ab12", "worker/1.0"},
                 SignatureParams{1'700'000'000, "n0nce", "ab13", "worker/1.0"},
                 SignatureParams{1'700'000'000, "n0nce", "ab12", "worker/1.1"}}) {
    EXPECT_NE(base, base_of("get_project", 7, "tok", Json{{"project_id", "p1"}}, p));
  }
}

TEST(SignatureBase, AComponentThatCouldForgeALineIsRefused) {
  const Json payload = Json::object();
  EXPECT_FALSE(signature_base("get_project\n\"@session-id\": x", 1, "tok", payload, kParams).ok());
  EXPECT_FALSE(signature_base("op", 1, "tok\r", payload, kParams).ok());
  // A request id is written as JSON, so its line break is escaped, not a line of its own.
  const std::string quoted = base_of("op", "a\nb", "tok", payload);
  EXPECT_EQ(std::count(quoted.begin(), quoted.end(), '\n'), 5);
  EXPECT_FALSE(signature_base("op", 1, "tok", payload, {1, "n\"x", "k", "c"}).ok());
  EXPECT_FALSE(signature_base("op", 1, "tok", payload, {1, "", "k", "c"}).ok());
  EXPECT_FALSE(signature_base("op", 1, "tok", payload, {1, "n", "k", std::string(257, 'c')}).ok());
  EXPECT_FALSE(signature_base("op", Json::array(), "tok", payload, kParams).ok());
}

}  // namespace
}  // namespace lab::security
