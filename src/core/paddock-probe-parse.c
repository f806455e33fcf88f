/* SPDX-License-Identifier: GPL-3.0-or-later */
/* paddock-probe-parse.c: parsers of the probe's output, systemctl, ss, cgroups and credentials */

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "paddock-probe-parse-private.h"

#define MARKER "@@PADDOCK@@ "

/* Lines of @text, each without its newline and CR; the last line may lack a newline. */
typedef struct
{
  const char *next;
  const char *end;
} LineReader;

static gboolean
next_line (LineReader  *reader,
           const char **line,
           gsize       *length)
{
  const char *newline;

  if (reader->next >= reader->end)
    return FALSE;

  *line = reader->next;
  newline = memchr (reader->next, '\n', reader->end - reader->next);
  *length = (newline ? newline : reader->end) - reader->next;
  reader->next = newline ? newline + 1 : reader->end;

  if (*length > 0 && (*line)[*length - 1] == '\r')
    (*length)--;

  return TRUE;
}

static void
line_reader_init (LineReader *reader,
                  const char *text,
                  gsize       length)
{
  reader->next = text;
  reader->end = text + length;
}

/* Framing */

void
paddock_probe_section_free (PaddockProbeSection *section)
{
  if (section == NULL)
    return;
  g_free (section->name);
  g_free (section->argument);
  g_free (section->text);
  g_free (section);
}

GPtrArray *
paddock_probe_split (const char  *output,
                     gsize        length,
                     const char  *token,
                     GError     **error)
{
  g_autoptr(GPtrArray) sections = g_ptr_array_new_with_free_func ((GDestroyNotify) paddock_probe_section_free);
  g_autofree char *prefix = g_strconcat (MARKER, token, " ", NULL);
  gsize prefix_length = strlen (prefix);
  GString *current = NULL;
  gboolean ended = FALSE;
  LineReader reader;
  const char *line;
  gsize line_length;

  g_return_val_if_fail (output != NULL || length == 0, NULL);
  g_return_val_if_fail (token != NULL && *token != '\0', NULL);

  line_reader_init (&reader, output, length);
  while (!ended && next_line (&reader, &line, &line_length))
    {
      if (line_length > prefix_length && memcmp (line, prefix, prefix_length) == 0)
        {
          PaddockProbeSection *section;
          g_autofree char *rest = g_strndup (line + prefix_length, line_length - prefix_length);
          char *space = strchr (rest, ' ');

          if (current != NULL)
            {
              section = g_ptr_array_index (sections, sections->len - 1);
              section->text = g_string_free (current, FALSE);
              current = NULL;
            }

          if (space != NULL)
            *space = '\0';

          if (g_str_equal (rest, "end"))
            {
              ended = TRUE;
              break;
            }

          if (sections->len >= PADDOCK_PROBE_MAX_SECTIONS)
            {
              g_set_error (error, PADDOCK_PROBE_ERROR, PADDOCK_PROBE_ERROR_MALFORMED,
                           _("The container's answer has more than %u sections"), PADDOCK_PROBE_MAX_SECTIONS);
              return NULL;
            }

          section = g_new0 (PaddockProbeSection, 1);
          section->name = g_utf8_make_valid (rest, -1);
          section->argument = space != NULL ? g_strdup (space + 1) : NULL;
          g_ptr_array_add (sections, section);
          current = g_string_new (NULL);
          continue;
        }

      if (current != NULL)
        {
          g_string_append_len (current, line, line_length);
          g_string_append_c (current, '\n');
        }
    }

  if (current != NULL)
    {
      PaddockProbeSection *section = g_ptr_array_index (sections, sections->len - 1);

      section->text = g_string_free (current, FALSE);
    }

  if (!ended)
    {
      g_set_error (error, PADDOCK_PROBE_ERROR, PADDOCK_PROBE_ERROR_MALFORMED,
                   sections->len == 0
                   ? _("The container's answer has none of the probe's sections (is it a shell?)")
                   : _("The container's answer was cut short after the “%s” section"),
                   sections->len ? ((PaddockProbeSection *) g_ptr_array_index (sections, sections->len - 1))->name
                                 : "");
      return NULL;
    }

  return g_steal_pointer (&sections);
}

/* systemctl show */

GPtrArray *
paddock_parse_systemctl_show (const char *text)
{
  g_autoptr(GPtrArray) units = g_ptr_array_new_with_free_func ((GDestroyNotify) g_hash_table_unref);
  g_autoptr(GHashTable) current = NULL;
  g_autofree char *last_key = NULL;
  LineReader reader;
  const char *line;
  gsize length;

  if (text == NULL)
    return g_steal_pointer (&units);

  line_reader_init (&reader, text, strlen (text));
  for (;;)
    {
      gboolean more = next_line (&reader, &line, &length);

      if (!more || length == 0)
        {
          if (current != NULL && g_hash_table_contains (current, "Id") &&
              units->len < PADDOCK_PROBE_MAX_UNITS)
            g_ptr_array_add (units, g_steal_pointer (&current));
          g_clear_pointer (&current, g_hash_table_unref);
          g_clear_pointer (&last_key, g_free);
          if (!more)
            break;
          continue;
        }

      if (current == NULL)
        current = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

      {
        const char *equals = memchr (line, '=', length);
        g_autofree char *valid = g_utf8_make_valid (line, length);

        if (equals != NULL && equals != line && (equals - line) < 128 &&
            strspn (line, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789") == (gsize) (equals - line))
          {
            char *key = g_strndup (line, equals - line);

            g_hash_table_replace (current, key, g_strdup (valid + (equals - line) + 1));
            g_free (last_key);
            last_key = g_strdup (key);
          }
        else if (last_key != NULL)
          {
            /* A value that spans lines (ExecStart=… with a newline in it). */
            const char *previous = g_hash_table_lookup (current, last_key);
            char *joined = g_strconcat (previous ? previous : "", "\n", valid, NULL);

            g_hash_table_replace (current, g_strdup (last_key), joined);
          }
      }
    }

  return g_steal_pointer (&units);
}

gint64
paddock_parse_systemd_number (const char *value)
{
  guint64 number;
  char *end = NULL;

  if (value == NULL || *value == '\0' || !g_ascii_isdigit (*value))
    return -1;

  number = g_ascii_strtoull (value, &end, 10);
  if (*end != '\0' || number >= G_MAXINT64)
    return -1;

  return (gint64) number;
}

/* ss */

void
paddock_socket_record_free (PaddockSocketRecord *record)
{
  if (record == NULL)
    return;
  g_free (record->protocol);
  g_free (record->address);
  g_free (record->scope);
  g_clear_pointer (&record->pids, g_array_unref);
  g_clear_pointer (&record->commands, g_ptr_array_unref);
  g_free (record->cgroup);
  g_free (record);
}

static gboolean
is_number (const char *token)
{
  return *token != '\0' && strspn (token, "0123456789") == strlen (token);
}

/* "0.0.0.0:80", "*:80", "[::]:80", "[::1]:6379", "10.0.3.7%eth0:9100", "[fe80::1]%eth0:546" */
static gboolean
parse_endpoint (const char           *token,
                PaddockSocketRecord  *record)
{
  const char *colon = strrchr (token, ':');
  g_autofree char *host = NULL;
  char *percent;
  guint64 port;

  if (colon == NULL || colon == token || !is_number (colon + 1))
    return FALSE;
  port = g_ascii_strtoull (colon + 1, NULL, 10);
  if (port > 65535)
    return FALSE;

  host = g_strndup (token, colon - token);
  percent = strchr (host, '%');
  if (percent != NULL)
    {
      record->scope = g_strdup (percent + 1);
      *percent = '\0';
    }
  if (host[0] == '[')
    {
      gsize n = strlen (host);

      if (n < 2 || host[n - 1] != ']')
        return FALSE;
      host[n - 1] = '\0';
      memmove (host, host + 1, n - 1);
    }
  if (*host == '\0')
    return FALSE;

  record->address = g_strdup (host);
  record->port = (guint16) port;
  record->wildcard = g_str_equal (host, "*") || g_str_equal (host, "0.0.0.0") || g_str_equal (host, "::");
  return TRUE;
}

/* users:(("nginx",pid=246,fd=5),("nginx",pid=245,fd=5)) */
static void
parse_users (const char          *field,
             PaddockSocketRecord *record)
{
  const char *p = field;

  while ((p = strstr (p, "(\"")) != NULL && record->pids->len < PADDOCK_PROBE_MAX_PIDS)
    {
      const char *name_start = p + 2;
      const char *pid_field = strstr (name_start, "\",pid=");
      char *end = NULL;
      guint64 pid;

      if (pid_field == NULL)
        break;
      pid = g_ascii_strtoull (pid_field + strlen ("\",pid="), &end, 10);
      if (end != pid_field + strlen ("\",pid=") && pid > 0 && pid <= G_MAXINT)
        {
          int value = (int) pid;
          gboolean seen = FALSE;

          for (guint i = 0; i < record->pids->len; i++)
            seen |= g_array_index (record->pids, int, i) == value;
          if (!seen)
            {
              g_array_append_val (record->pids, value);
              g_ptr_array_add (record->commands, g_utf8_make_valid (name_start, pid_field - name_start));
            }
        }
      p = pid_field + 1;
    }
}

GPtrArray *
paddock_parse_ss (const char *text,
                  const char *protocol)
{
  g_autoptr(GPtrArray) sockets = g_ptr_array_new_with_free_func ((GDestroyNotify) paddock_socket_record_free);
  LineReader reader;
  const char *line;
  gsize length;

  if (text == NULL)
    return g_steal_pointer (&sockets);

  line_reader_init (&reader, text, strlen (text));
  while (next_line (&reader, &line, &length) && sockets->len < PADDOCK_PROBE_MAX_SOCKETS)
    {
      /* Addresses and interface names are shown and stored: text, whatever was sent. */
      g_autofree char *copy = g_utf8_make_valid (line, length);
      g_auto(GStrv) tokens = g_strsplit_set (g_strstrip (copy), " \t", -1);
      g_autoptr(GPtrArray) words = g_ptr_array_new ();
      g_autoptr(PaddockSocketRecord) record = NULL;
      guint queues = 0;
      const char *netid = NULL;

      for (guint i = 0; tokens[i] != NULL; i++)
        if (*tokens[i] != '\0')
          g_ptr_array_add (words, tokens[i]);

      /* Find Recv-Q and Send-Q: the first two numbers; local and peer follow them. */
      for (guint i = 0; i + 3 < words->len + 1 && i + 1 < words->len; i++)
        if (is_number (words->pdata[i]) && is_number (words->pdata[i + 1]))
          {
            queues = i;
            break;
          }
      if (words->len < 4 || queues + 3 > words->len || !is_number (words->pdata[queues]))
        continue;
      if (queues >= 1 && (g_str_equal (words->pdata[0], "tcp") || g_str_equal (words->pdata[0], "udp") ||
                          g_str_equal (words->pdata[0], "tcp6") || g_str_equal (words->pdata[0], "udp6")))
        netid = words->pdata[0];

      record = g_new0 (PaddockSocketRecord, 1);
      record->pids = g_array_new (FALSE, FALSE, sizeof (int));
      record->commands = g_ptr_array_new_with_free_func (g_free);
      if (!parse_endpoint (words->pdata[queues + 2], record))
        continue;
      record->protocol = g_strndup (netid ? netid : protocol ? protocol : "tcp", 3);

      for (guint i = queues + 4; i < words->len; i++)
        {
          const char *word = words->pdata[i];

          if (g_str_has_prefix (word, "users:"))
            parse_users (word, record);
          else if (g_str_has_prefix (word, "cgroup:") && record->cgroup == NULL)
            record->cgroup = g_utf8_make_valid (word + strlen ("cgroup:"), -1);
        }

      g_ptr_array_add (sockets, g_steal_pointer (&record));
    }

  return g_steal_pointer (&sockets);
}

/* cgroups */

char *
paddock_cgroup_path_unit (const char *path)
{
  g_auto(GStrv) parts = NULL;

  if (path == NULL)
    return NULL;

  parts = g_strsplit (path, "/", -1);
  for (guint n = g_strv_length (parts); n > 0; n--)
    {
      const char *part = parts[n - 1];

      if (g_str_has_suffix (part, ".service") && strlen (part) > strlen (".service"))
        return g_utf8_make_valid (part, -1);
    }

  return NULL;
}

GHashTable *
paddock_parse_pid_units (const char *text)
{
  GHashTable *units = g_hash_table_new_full (NULL, NULL, NULL, g_free);
  LineReader reader;
  const char *line;
  gsize length;
  int pid = 0;

  if (text == NULL)
    return units;

  line_reader_init (&reader, text, strlen (text));
  while (next_line (&reader, &line, &length))
    {
      g_autofree char *copy = g_strndup (line, length);

      if (g_str_has_prefix (copy, "pid "))
        {
          guint64 value = g_ascii_strtoull (copy + 4, NULL, 10);

          pid = value > 0 && value <= G_MAXINT ? (int) value : 0;
          continue;
        }

      /* "0::/system.slice/nginx.service" or "1:name=systemd:/system.slice/nginx.service" */
      if (pid > 0 && !g_hash_table_contains (units, GINT_TO_POINTER (pid)) &&
          g_hash_table_size (units) < PADDOCK_PROBE_MAX_SOCKETS)
        {
          const char *path = strchr (copy, ':') ? strchr (strchr (copy, ':') + 1, ':') : NULL;
          g_autofree char *unit = NULL;

          if (path == NULL)
            continue;
          if (!g_str_has_prefix (copy, "0::") && strstr (copy, ":name=systemd:") == NULL)
            continue;
          unit = paddock_cgroup_path_unit (path + 1);
          if (unit != NULL)
            g_hash_table_insert (units, GINT_TO_POINTER (pid), g_steal_pointer (&unit));
        }
    }

  return units;
}

/* Credentials */

void
paddock_credential_record_free (PaddockCredentialRecord *record)
{
  if (record == NULL)
    return;
  if (record->value != NULL)
    memset (record->value, 0, strlen (record->value));
  g_free (record->key);
  g_free (record->value);
  g_free (record);
}

static char *
unquote (const char *value)
{
  gsize n = strlen (value);

  if (n >= 2 && ((value[0] == '"' && value[n - 1] == '"') || (value[0] == '\'' && value[n - 1] == '\'')))
    return g_strndup (value + 1, n - 2);

  return g_strdup (value);
}

GPtrArray *
paddock_parse_credentials (const char  *text,
                           gsize        length,
                           const char  *path,
                           GError     **error)
{
  g_autoptr(GPtrArray) pairs = g_ptr_array_new_with_free_func ((GDestroyNotify) paddock_credential_record_free);
  LineReader reader;
  const char *line;
  gsize line_length;
  guint number = 0;

  line_reader_init (&reader, text, length);
  while (next_line (&reader, &line, &line_length))
    {
      g_autofree char *copy = NULL;
      char *start, *equals;
      PaddockCredentialRecord *record;

      number++;
      if (!g_utf8_validate_len (line, line_length, NULL))
        {
          g_set_error (error, PADDOCK_PROBE_ERROR, PADDOCK_PROBE_ERROR_ENCODING,
                       _("%s, line %u: not UTF-8 text"), path, number);
          return NULL;
        }

      copy = g_strndup (line, line_length);
      start = g_strstrip (copy);
      if (*start == '\0' || *start == '#')
        continue;
      if (g_str_has_prefix (start, "export "))
        start = g_strchug (start + strlen ("export "));

      equals = strchr (start, '=');
      if (equals == NULL || equals == start)
        continue;
      *equals = '\0';
      g_strchomp (start);
      if (*start == '\0' || strpbrk (start, " \t") != NULL)
        continue;
      if (pairs->len >= PADDOCK_PROBE_MAX_CREDENTIALS)
        break;

      record = g_new0 (PaddockCredentialRecord, 1);
      record->key = g_strdup (start);
      record->value = unquote (g_strchug (equals + 1));
      g_ptr_array_add (pairs, record);
    }

  return g_steal_pointer (&pairs);
}

char *
paddock_credentials_service_name (const char *path)
{
  g_autofree char *base = g_path_get_basename (path);
  char *dot = strrchr (base, '.');

  /* ".env" alone is a name, not an extension. */
  if (dot != NULL && dot != base)
    *dot = '\0';

  return g_utf8_make_valid (base, -1);
}
