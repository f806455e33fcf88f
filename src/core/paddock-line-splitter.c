/* SPDX-License-Identifier: GPL-3.0-or-later */
/* paddock-line-splitter.c: turns chunks of command output into whole, valid UTF-8 lines */

#include "config.h"

#include <string.h>

#include "paddock-line-splitter.h"

struct _PaddockLineSplitter
{
  GString *pending;
};

PaddockLineSplitter *
paddock_line_splitter_new (void)
{
  PaddockLineSplitter *splitter = g_new0 (PaddockLineSplitter, 1);

  splitter->pending = g_string_new (NULL);

  return splitter;
}

void
paddock_line_splitter_free (PaddockLineSplitter *splitter)
{
  if (splitter == NULL)
    return;

  g_string_free (splitter->pending, TRUE);
  g_free (splitter);
}

static void
emit (const char      *data,
      gsize            length,
      PaddockLineFunc  func,
      gpointer         user_data)
{
  g_autofree char *line = NULL;

  /* "\r\n" endings from Windows-minded tools */
  if (length > 0 && data[length - 1] == '\r')
    length--;

  /* Invalid bytes become U+FFFD; an embedded NUL would end the C string early, so it does too. */
  if (memchr (data, '\0', length) != NULL)
    {
      g_autoptr(GString) copy = g_string_new_len (data, length);

      for (gsize i = 0; i < copy->len; i++)
        if (copy->str[i] == '\0')
          copy->str[i] = '?';
      line = g_utf8_make_valid (copy->str, copy->len);
    }
  else
    line = g_utf8_make_valid (data, length);

  func (line, user_data);
}

void
paddock_line_splitter_feed (PaddockLineSplitter *splitter,
                            const char          *data,
                            gsize                length,
                            PaddockLineFunc      func,
                            gpointer             user_data)
{
  const char *end = data + length;

  while (data < end)
    {
      const char *newline = memchr (data, '\n', end - data);
      gsize take = (newline ? newline : end) - data;

      /* A piece that would make the pending line too long is cut at the limit, on a
       * character boundary when the text allows it. */
      if (splitter->pending->len + take > PADDOCK_LINE_SPLITTER_MAX_LINE)
        {
          gsize room = PADDOCK_LINE_SPLITTER_MAX_LINE - splitter->pending->len;
          gsize cut = room;

          while (cut > 0 && cut > room - 4 && ((guchar) data[cut] & 0xC0) == 0x80)
            cut--;
          if (cut == 0 || cut <= room - 4)
            cut = room;

          g_string_append_len (splitter->pending, data, cut);
          emit (splitter->pending->str, splitter->pending->len, func, user_data);
          g_string_truncate (splitter->pending, 0);
          data += cut;
          continue;
        }

      if (newline == NULL)
        {
          g_string_append_len (splitter->pending, data, take);
          return;
        }

      if (splitter->pending->len > 0)
        {
          g_string_append_len (splitter->pending, data, take);
          emit (splitter->pending->str, splitter->pending->len, func, user_data);
          g_string_truncate (splitter->pending, 0);
        }
      else
        emit (data, take, func, user_data);

      data = newline + 1;
    }
}

void
paddock_line_splitter_finish (PaddockLineSplitter *splitter,
                              PaddockLineFunc      func,
                              gpointer             user_data)
{
  if (splitter->pending->len == 0)
    return;

  emit (splitter->pending->str, splitter->pending->len, func, user_data);
  g_string_truncate (splitter->pending, 0);
}
