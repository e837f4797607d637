#include "security/sodium_ready.h"

#include <sodium.h>

#include <cstdio>
#include <cstdlib>

namespace lab::security {

void ensure_sodium_ready() {
  static const bool ready = [] {
    if (sodium_init() < 0) {
      std::fputs("libsodium could not be initialised: no usable random source\n", stderr);
      std::abort();
    }
    return true;
  }();
  (void)ready;
}

}  // namespace lab::security
