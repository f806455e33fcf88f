/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz-line-splitter.c: libFuzzer target for the splitter that turns command output into lines */

#include "config.h"

#include <string.h>

#include "paddock-line-splitter.h"

#include "fuzz-common.h"

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

static void
check_line (const char *line,
            gpointer    user_data)
{
  gsize *count = user_data;

  g_assert (g_utf8_validate (line, -1, NULL));
  g_assert (strchr (line, '\n') == NULL);
  /* U+FFFD replacements may grow a line, by at most three bytes per byte */
  g_assert (strlen (line) <= 3 * PADDOCK_LINE_SPLITTER_MAX_LINE);
  (*count)++;
}

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autoptr(PaddockLineSplitter) whole = paddock_line_splitter_new ();
  g_autoptr(PaddockLineSplitter) chunked = paddock_line_splitter_new ();
  gsize whole_lines = 0, chunked_lines = 0, newlines = 0;
  guint chunk;

  fuzz_abort_on_criticals ();

  if (size == 0)
    return 0;

  /* The first byte picks the chunk size, as a network read would cut the stream. */
  chunk = data[0] % 17 + 1;
  data++, size--;

  for (gsize i = 0; i < size; i++)
    newlines += data[i] == '\n';

  paddock_line_splitter_feed (whole, (const char *) data, size, check_line, &whole_lines);
  paddock_line_splitter_finish (whole, check_line, &whole_lines);

  for (gsize offset = 0; offset < size; offset += chunk)
    paddock_line_splitter_feed (chunked, (const char *) data + offset, MIN (chunk, size - offset), check_line,
                                &chunked_lines);
  paddock_line_splitter_finish (chunked, check_line, &chunked_lines);

  /* Every newline ends exactly one line, however the input was cut. */
  g_assert (whole_lines >= newlines);
  g_assert (size < PADDOCK_LINE_SPLITTER_MAX_LINE ? whole_lines == chunked_lines : TRUE);

  return 0;
}
