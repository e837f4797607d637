// The OpenSSL HMAC-SHA256 contexts a thread computes MACs with (security/hmac.cpp's only dependency on OpenSSL's
// MAC interface). Setting a key costs about as much as a request-sized MAC itself, so a thread keeps:
//   - one context that is re-keyed on every call, for keys given as raw bytes;
//   - a small cache of contexts already keyed with recent Key256 keys (stage 2 signs every request with the
//     session's key; a busy server sees the same few keys again and again).
// A cache slot is chosen by a keyed hash (SipHash, libsodium's crypto_shorthash, under a per-thread random key),
// so which slot a key lands in tells nothing about the key, and a slot is taken as a hit only after a
// constant-time comparison of the whole key. The cache holds copies of recent keys and their pads in the same
// process that holds the keys themselves; every slot is wiped when its thread ends.
#pragma once

#include <openssl/evp.h>

#include <string_view>

#include "security/key256.h"

namespace lab::security {

// This thread's context, started with `key` (any length, empty included): ready for EVP_MAC_update.
EVP_MAC_CTX* hmac_context_for(std::string_view key);
// The same for a Key256, from the thread's cache when the key was used recently.
EVP_MAC_CTX* hmac_context_for(const Key256& key);

}  // namespace lab::security
