/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz-shell-command.c: libFuzzer target for the command builder: every argument survives a shell */

#include "config.h"

#include <string.h>

#include "paddock-shell.h"

#include "fuzz-common.h"

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *line = NULL;
  g_autofree char *pct = NULL;
  g_auto(GStrv) parsed = NULL;
  g_auto(GStrv) parsed_pct = NULL;
  gboolean has_nul = memchr (data, '\0', size) != NULL;
  gboolean valid = TRUE;
  gsize start = 0;

  fuzz_abort_on_criticals ();

  /* Arguments are separated by 0x01 in the input; a NUL inside must be refused. */
  g_assert (paddock_shell_check_argument ((const char *) data, size, NULL) == (!has_nul && g_utf8_validate ((const char *) data, size, NULL)));
  if (has_nul)
    return 0;

  for (gsize i = 0; i <= size; i++)
    {
      if (i == size || data[i] == 0x01)
        {
          g_ptr_array_add (args, g_strndup ((const char *) data + start, i - start));
          start = i + 1;
        }
    }
  for (guint i = 0; i < args->len; i++)
    valid = valid && g_utf8_validate (g_ptr_array_index (args, i), -1, NULL);
  g_ptr_array_add (args, NULL);

  line = paddock_shell_join ((const char * const *) args->pdata, NULL);
  g_assert ((line != NULL) == valid);
  if (line == NULL)
    return 0;

  /* A POSIX shell's word splitting and quote removal give back every argument verbatim. */
  g_assert (g_shell_parse_argv (line, NULL, &parsed, NULL));
  g_assert (g_strv_length (parsed) == args->len - 1);
  for (guint i = 0; i < args->len - 1; i++)
    g_assert (g_str_equal (parsed[i], g_ptr_array_index (args, i)));

  pct = paddock_shell_pct_exec (101, g_ptr_array_index (args, 0), NULL);
  g_assert (pct != NULL);
  g_assert (g_shell_parse_argv (pct, NULL, &parsed_pct, NULL));
  g_assert (g_strv_length (parsed_pct) == 7);
  g_assert (g_str_equal (parsed_pct[6], g_ptr_array_index (args, 0)));

  return 0;
}
