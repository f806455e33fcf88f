/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz-package-line.c: libFuzzer target for package lines of every manager, and their round trip */

#include "config.h"

#include "paddock-template-parse-private.h"

#include "fuzz-common.h"

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autofree char *line = g_strndup ((const char *) data, size);

  fuzz_abort_on_criticals ();

  for (guint manager = 0; manager < PADDOCK_N_PACKAGE_MANAGERS; manager++)
    {
      g_autoptr(PaddockPackage) package = NULL;
      g_autoptr(PaddockPackage) again = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *written = NULL;

      if (!_paddock_package_line_parse (manager, line, &package, &error))
        {
          g_assert (error != NULL && package == NULL);
          continue;
        }
      if (package == NULL)
        continue;

      /* What is accepted is valid, and the line Paddock writes for it reads back the same. */
      g_assert (paddock_package_validate (package, NULL));
      written = paddock_package_to_line (package);
      g_assert (_paddock_package_line_parse (manager, written, &again, NULL));
      g_assert (again != NULL && paddock_package_same (package, again));
      g_assert (g_strcmp0 (package->install_command, again->install_command) == 0);
      g_assert (g_strcmp0 (package->check_command, again->check_command) == 0);
      g_assert (package->timeout == again->timeout);
    }

  return 0;
}
