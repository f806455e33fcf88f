/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pve-sim-hostile.c: the simulator as a hostile or broken server, for the fault matrix
 * (tests/README.md). Armed with /control/hostile?value=MODE[&arg=X], a mode answers every API
 * request until /control/hostile with no value (or /control/reset). */

#include "config.h"

#include <string.h>

#include "pve-sim.h"

typedef enum
{
  HOSTILE_NONE,
  HOSTILE_REDIRECT,      /* 302 to arg (e.g. http://elsewhere/) */
  HOSTILE_ENDLESS,       /* a chunked JSON body that never ends */
  HOSTILE_GZIP_BOMB,     /* 256 MB of JSON whitespace, gzip-compressed to ~250 KB */
  HOSTILE_DEEP_NESTING,  /* {"data": 100,000 nested arrays} in 200 KB */
  HOSTILE_SLOW_DRIP,     /* a valid answer, one byte every 200 ms */
  HOSTILE_TRUNCATED,     /* Content-Length 4096, 17 bytes, then the connection closes */
  HOSTILE_WRONG_TYPE,    /* 200 with an HTML page */
} HostileMode;

static const char *mode_names[] = {
  "", "redirect", "endless", "gzip-bomb", "deep-nesting", "slow-drip", "truncated", "wrong-type",
};

static HostileMode mode;
static char *mode_arg;
static GBytes *gzip_bomb;

gboolean
sim_hostile_set (const char *name,
                 const char *arg)
{
  for (guint i = 0; i < G_N_ELEMENTS (mode_names); i++)
    if (g_strcmp0 (name ? name : "", mode_names[i]) == 0)
      {
        mode = i;
        g_free (mode_arg);
        mode_arg = g_strdup (arg);
        return TRUE;
      }

  return FALSE;
}

/* 256 MB of spaces inside a JSON envelope, compressed once. */
static GBytes *
make_gzip_bomb (void)
{
  g_autoptr(GZlibCompressor) compressor = g_zlib_compressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP, 9);
  g_autoptr(GByteArray) out = g_byte_array_new ();
  g_autofree char *spaces = g_malloc (1 << 20);
  char buffer[64 * 1024];

  memset (spaces, ' ', 1 << 20);
  for (guint round = 0; round <= 257; round++)
    {
      const char *input = round == 0 ? "{\"data\":[" : round == 257 ? "]}" : spaces;
      gsize length = round == 0 || round == 257 ? strlen (input) : 1 << 20;
      GConverterFlags flags = round == 257 ? G_CONVERTER_INPUT_AT_END : G_CONVERTER_NO_FLAGS;
      GConverterResult result;

      do
        {
          gsize read = 0, written = 0;

          result = g_converter_convert (G_CONVERTER (compressor), input, length, buffer, sizeof buffer, flags,
                                        &read, &written, NULL);
          g_assert (result != G_CONVERTER_ERROR);
          g_byte_array_append (out, (guint8 *) buffer, written);
          input += read;
          length -= read;
        }
      while (length > 0 || (flags == G_CONVERTER_INPUT_AT_END && result != G_CONVERTER_FINISHED));
    }

  return g_byte_array_free_to_bytes (g_steal_pointer (&out));
}

static void
on_endless_wrote_chunk (SoupServerMessage *msg,
                        gpointer           user_data)
{
  static const char chunk[] = "{\"vmid\":100,\"type\":\"lxc\",\"node\":\"pve1\",\"status\":\"running\"},";
  GString *more = g_string_sized_new (64 * 1024);

  while (more->len < 60 * 1024)
    g_string_append (more, chunk);
  soup_message_body_append (soup_server_message_get_response_body (msg), SOUP_MEMORY_TAKE,
                            more->str, more->len);
  g_string_free (more, FALSE);
}

typedef struct
{
  SoupServerMessage *msg;
  const char        *text;
  gsize              next;
  gboolean           finished;
} Drip;

static void
on_drip_finished (SoupServerMessage *msg,
                  Drip              *drip)
{
  drip->finished = TRUE;
}

static gboolean
drip_one (gpointer user_data)
{
  Drip *drip = user_data;
  SoupMessageBody *body;

  if (drip->finished)
    goto done;

  body = soup_server_message_get_response_body (drip->msg);
  if (drip->text[drip->next] == '\0')
    {
      soup_message_body_complete (body);
      soup_server_message_unpause (drip->msg);
      goto done;
    }
  soup_message_body_append (body, SOUP_MEMORY_STATIC, drip->text + drip->next++, 1);
  soup_server_message_unpause (drip->msg);
  return G_SOURCE_CONTINUE;

done:
  g_signal_handlers_disconnect_by_data (drip->msg, drip);
  g_object_unref (drip->msg);
  g_free (drip);
  return G_SOURCE_REMOVE;
}

/* Answers @msg as the armed mode does; FALSE when no mode is armed. */
gboolean
sim_hostile_respond (SoupServerMessage *msg)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);

  switch (mode)
    {
    case HOSTILE_NONE:
      return FALSE;

    case HOSTILE_REDIRECT:
      soup_server_message_set_redirect (msg, 302, mode_arg ? mode_arg : "http://127.0.0.1:9/");
      return TRUE;

    case HOSTILE_ENDLESS:
      soup_server_message_set_status (msg, 200, NULL);
      soup_message_headers_set_encoding (headers, SOUP_ENCODING_CHUNKED);
      soup_message_headers_set_content_type (headers, "application/json;charset=UTF-8", NULL);
      soup_message_body_append (soup_server_message_get_response_body (msg), SOUP_MEMORY_STATIC, "{\"data\":[", 9);
      g_signal_connect (msg, "wrote-chunk", G_CALLBACK (on_endless_wrote_chunk), NULL);
      return TRUE;

    case HOSTILE_GZIP_BOMB:
      if (gzip_bomb == NULL)
        gzip_bomb = make_gzip_bomb ();
      soup_server_message_set_status (msg, 200, NULL);
      soup_message_headers_replace (headers, "Content-Encoding", "gzip");
      soup_server_message_set_response (msg, "application/json;charset=UTF-8", SOUP_MEMORY_COPY,
                                        g_bytes_get_data (gzip_bomb, NULL), g_bytes_get_size (gzip_bomb));
      return TRUE;

    case HOSTILE_DEEP_NESTING:
      {
        const guint depth = 100000;
        GString *body = g_string_sized_new (2 * depth + 16);

        g_string_append (body, "{\"data\":");
        for (guint i = 0; i < depth; i++)
          g_string_append_c (body, '[');
        for (guint i = 0; i < depth; i++)
          g_string_append_c (body, ']');
        g_string_append_c (body, '}');
        soup_server_message_set_status (msg, 200, NULL);
        soup_server_message_set_response (msg, "application/json;charset=UTF-8", SOUP_MEMORY_TAKE,
                                          body->str, body->len);
        g_string_free (body, FALSE);
        return TRUE;
      }

    case HOSTILE_SLOW_DRIP:
      {
        Drip *drip = g_new0 (Drip, 1);

        drip->msg = g_object_ref (msg);
        drip->text = "{\"data\":{\"version\":\"9.1.1\",\"release\":\"9.1\",\"repoid\":\"slowdrip\"}}";
        soup_server_message_set_status (msg, 200, NULL);
        soup_message_headers_set_encoding (headers, SOUP_ENCODING_CHUNKED);
        soup_message_headers_set_content_type (headers, "application/json;charset=UTF-8", NULL);
        g_signal_connect (msg, "finished", G_CALLBACK (on_drip_finished), drip);
        g_signal_connect (msg, "disconnected", G_CALLBACK (on_drip_finished), drip);
        soup_server_message_pause (msg);
        g_timeout_add (200, drip_one, drip);
        return TRUE;
      }

    case HOSTILE_TRUNCATED:
      sim_drop_connection (msg);
      return TRUE;

    case HOSTILE_WRONG_TYPE:
      {
        const char *page = "<!DOCTYPE html><html><head><title>Sign in</title></head>"
                           "<body><form action=\"/login\"><input name=\"password\"></form></body></html>";

        soup_server_message_set_status (msg, 200, NULL);
        soup_server_message_set_response (msg, "text/html", SOUP_MEMORY_STATIC, page, strlen (page));
        return TRUE;
      }
    }

  return FALSE;
}
