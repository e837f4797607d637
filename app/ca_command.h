// `lab ca init [--dir DIR]`: the lab's certificate authority for stage 3 —
// a CA, the coordinator's server certificate (localhost) and a client
// certificate for every lab user (data/sample_data/valid_credentials.json) and
// for "mallory", an agent with a certificate but no account (the insider the
// attacks use). Running it again keeps an existing CA and re-issues the
// certificates, which expire after 30 days.
// `lab audit verify FILE`: checks a hash-chained audit log line by line.
#pragma once

#include <filesystem>

namespace lab::app {

// 0 on success, 1 on failure (the reason is printed).
int run_ca_init(const std::filesystem::path& dir);
// 0 when the chain verifies, 1 when it does not (the first broken line is printed).
int run_audit_verify(const std::filesystem::path& file);

}  // namespace lab::app
