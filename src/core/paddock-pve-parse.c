/* SPDX-License-Identifier: GPL-3.0-or-later */
/* paddock-pve-parse.c: pure parsers of what Proxmox sends (tested on fixtures, fuzzed) */

#include "config.h"

#include <stdlib.h>
#include <string.h>

#define JSMN_STATIC
#define JSMN_STRICT
#define JSMN_PARENT_LINKS
#include <jsmn.h>
#include <math.h>

#include "paddock-pve-parse-private.h"

void
paddock_guest_record_clear (PaddockGuestRecord *record)
{
  g_clear_pointer (&record->type, g_free);
  g_clear_pointer (&record->node, g_free);
  g_clear_pointer (&record->name, g_free);
  g_clear_pointer (&record->status, g_free);
  g_clear_pointer (&record->tags, g_free);
  g_clear_pointer (&record->lock, g_free);
  g_clear_pointer (&record->hastate, g_free);
  g_clear_pointer (&record->pool, g_free);
}

void
paddock_guest_record_free (PaddockGuestRecord *record)
{
  if (record == NULL)
    return;

  paddock_guest_record_clear (record);
  g_free (record);
}

/* Converting an out-of-range double to an integer is undefined: clamp first (NaN → 0). */
static gint64
clamp_to_int64 (double value)
{
  if (!(value == value))
    return 0;
  if (value >= 9.2e18)
    return G_MAXINT64;
  if (value <= -9.2e18)
    return G_MININT64;

  return (gint64) value;
}

/* Text from a server is shown as text: control characters (C0, DEL, C1) and explicit bidi
 * formatting (which would show "evil" as "live", or reorder what follows) become U+FFFD. */
static gboolean
is_unsafe_char (gunichar c)
{
  return c < 0x20 || (c >= 0x7F && c <= 0x9F) || c == 0x061C || c == 0x200E || c == 0x200F ||
         (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069);
}

char *
paddock_text_make_safe (const char *text)
{
  GString *safe;

  if (text == NULL)
    return NULL;

  safe = g_string_sized_new (strlen (text));
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      g_string_append_unichar (safe, is_unsafe_char (c) ? 0xFFFD : c);
    }

  return g_string_free (safe, FALSE);
}

/* Tolerant JSON member readers */

gint64
paddock_json_get_int (JsonObject *object,
                      const char *member,
                      gint64      fallback)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, member) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return fallback;

  switch (json_node_get_value_type (node))
    {
    case G_TYPE_INT64:
      return json_node_get_int (node);

    case G_TYPE_DOUBLE:
      return clamp_to_int64 (json_node_get_double (node));

    case G_TYPE_BOOLEAN:
      return json_node_get_boolean (node);

    case G_TYPE_STRING:
      {
        const char *text = json_node_get_string (node);
        char *end = NULL;
        gint64 value;

        if (text == NULL || *text == '\0')
          return fallback;
        value = g_ascii_strtoll (text, &end, 10);
        return end != NULL && (*end == '\0' || *end == '.') ? value : fallback;
      }

    default:
      return fallback;
    }
}

double
paddock_json_get_double (JsonObject *object,
                         const char *member,
                         double      fallback)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, member) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return fallback;

  switch (json_node_get_value_type (node))
    {
    case G_TYPE_INT64:
      return json_node_get_int (node);

    case G_TYPE_DOUBLE:
      return isfinite (json_node_get_double (node)) ? json_node_get_double (node) : fallback;

    case G_TYPE_STRING:
      {
        const char *text = json_node_get_string (node);
        char *end = NULL;
        double value;

        if (text == NULL || *text == '\0')
          return fallback;
        value = g_ascii_strtod (text, &end);
        return end != NULL && *end == '\0' && isfinite (value) ? value : fallback;
      }

    default:
      return fallback;
    }
}

gboolean
paddock_json_get_bool (JsonObject *object,
                       const char *member,
                       gboolean    fallback)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, member) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return fallback;

  switch (json_node_get_value_type (node))
    {
    case G_TYPE_BOOLEAN:
      return json_node_get_boolean (node);

    case G_TYPE_INT64:
      return json_node_get_int (node) != 0;

    case G_TYPE_STRING:
      {
        /* Old servers send "" for false; "1" and "0" also occur. */
        const char *text = json_node_get_string (node);

        return g_strcmp0 (text, "1") == 0 || g_ascii_strcasecmp (text ? text : "", "true") == 0;
      }

    default:
      return fallback;
    }
}

const char *
paddock_json_get_string (JsonObject *object,
                         const char *member)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, member) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;

  return json_node_get_string (node);
}

/* Errors */

static gboolean
contains (const char *haystack,
          const char *needle)
{
  return haystack != NULL && strstr (haystack, needle) != NULL;
}

/**
 * paddock_pve_error_from_response:
 * @reason: the HTTP reason phrase, where Proxmox puts the first line of its message
 * @message: (nullable): the body's `message` (PVE ≥ 8.3), preferred when present
 * @errors: (nullable): the body's `errors` map (parameter → problem)
 */
GError *
paddock_pve_error_from_response (guint       status,
                                 const char *reason,
                                 const char *message,
                                 JsonObject *errors)
{
  g_autofree char *text = NULL;
  g_autoptr(GString) details = g_string_new (NULL);
  int code;

  text = g_strstrip (g_strdup (message != NULL && *message ? message : reason != NULL && *reason ? reason : ""));
  if (*text == '\0')
    {
      g_free (text);
      text = g_strdup_printf ("HTTP status %u", status);
    }

  if (errors != NULL)
    {
      g_autoptr(GList) members = g_list_sort (json_object_get_members (errors), (GCompareFunc) g_strcmp0);

      for (GList *l = members; l != NULL; l = l->next)
        {
          const char *problem = paddock_json_get_string (errors, l->data);
          g_autofree char *trimmed = g_strstrip (g_strdup (problem ? problem : "invalid"));

          g_string_append_printf (details, "%s%s: %s", details->len ? "; " : "", (char *) l->data, trimmed);
        }
    }

  if (status == 401)
    code = PADDOCK_PVE_ERROR_AUTH;
  else if (status == 403)
    code = PADDOCK_PVE_ERROR_PERMISSION;
  else if (status == 400)
    code = contains (details->str, "already exists") ? PADDOCK_PVE_ERROR_CONFLICT
         : contains (details->str, "no such task") ? PADDOCK_PVE_ERROR_NOT_FOUND
         : PADDOCK_PVE_ERROR_PARAMETER;
  else if (status == 595 || status == 596)
    code = PADDOCK_PVE_ERROR_UNREACHABLE;
  else if (status == 501)
    code = PADDOCK_PVE_ERROR_PROTOCOL;
  else if (contains (text, "already running"))
    code = PADDOCK_PVE_ERROR_ALREADY_RUNNING;
  else if (contains (text, "not running"))
    code = PADDOCK_PVE_ERROR_NOT_RUNNING;
  else if (contains (text, "is locked"))
    code = PADDOCK_PVE_ERROR_LOCKED;
  else if (contains (text, "does not exist") || contains (text, "no such"))
    code = PADDOCK_PVE_ERROR_NOT_FOUND;
  else if (contains (text, "already exists"))
    code = PADDOCK_PVE_ERROR_CONFLICT;
  else
    code = PADDOCK_PVE_ERROR_SERVER;

  if (details->len > 0)
    return g_error_new (PADDOCK_PVE_ERROR, code, "%s (%s)", text, details->str);

  return g_error_new_literal (PADDOCK_PVE_ERROR, code, text);
}

/* Proxmox's answers nest fewer than ten levels; more is an attack on the parsers (jsmn rescans its
 * tokens at every closing bracket, json-glib recurses). One linear pass, strings skipped. */
#define MAX_JSON_DEPTH 64

gboolean
paddock_json_check_depth (const char  *body,
                          gsize        length,
                          GError     **error)
{
  guint depth = 0;
  gboolean in_string = FALSE;

  for (gsize i = 0; i < length; i++)
    {
      char c = body[i];

      if (in_string)
        {
          /* Most of a body is string content: skip it in a tight loop. */
          while (i < length && body[i] != '"' && body[i] != '\\')
            i++;
          if (i >= length)
            break;
          if (body[i] == '\\')
            i++;
          else
            in_string = FALSE;
        }
      else if (c == '"')
        in_string = TRUE;
      else if (c == '[' || c == '{')
        {
          if (++depth > MAX_JSON_DEPTH)
            {
              g_set_error (error, PADDOCK_PVE_ERROR, PADDOCK_PVE_ERROR_PROTOCOL,
                           "The server's answer nests deeper than %u levels (at byte %" G_GSIZE_FORMAT
                           "): Proxmox never does; Paddock did not parse it", MAX_JSON_DEPTH, i);
              return FALSE;
            }
        }
      else if ((c == ']' || c == '}') && depth > 0)
        depth--;
    }

  return TRUE;
}

JsonNode *
paddock_pve_parse_envelope (const char  *body,
                            gsize        length,
                            guint        status,
                            const char  *reason,
                            gint64      *total,
                            GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GError) parse_error = NULL;
  JsonObject *root = NULL;

  if (total != NULL)
    *total = -1;

  if (body != NULL && !paddock_json_check_depth (body, length, error))
    return NULL;

  /* A blank body parses "successfully" into no root at all. */
  if (body != NULL && length > 0 && json_parser_load_from_data (parser, body, length, &parse_error) &&
      json_parser_get_root (parser) != NULL && JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    root = json_node_get_object (json_parser_get_root (parser));

  if (status < 200 || status >= 300)
    {
      JsonNode *errors = root ? json_object_get_member (root, "errors") : NULL;

      g_propagate_error (error,
                         paddock_pve_error_from_response (status, reason,
                                                          paddock_json_get_string (root, "message"),
                                                          errors && JSON_NODE_HOLDS_OBJECT (errors)
                                                          ? json_node_get_object (errors) : NULL));
      return NULL;
    }

  if (root == NULL)
    {
      g_set_error (error, PADDOCK_PVE_ERROR, PADDOCK_PVE_ERROR_PROTOCOL,
                   "The server's answer is not a Proxmox API response%s%s",
                   parse_error ? ": " : "", parse_error ? parse_error->message : "");
      return NULL;
    }

  if (!json_object_has_member (root, "data"))
    {
      g_set_error (error, PADDOCK_PVE_ERROR, PADDOCK_PVE_ERROR_PROTOCOL,
                   "The server's answer has no “data” member");
      return NULL;
    }

  if (total != NULL)
    *total = paddock_json_get_int (root, "total", -1);

  return json_node_copy (json_object_get_member (root, "data"));
}

/* The fast guest list reader */

/* The value of four hex digits, or G_MAXUINT32 when they are not. */
static gunichar
hex4 (const char *text)
{
  gunichar value = 0;

  for (guint i = 0; i < 4; i++)
    {
      int digit = g_ascii_xdigit_value (text[i]);

      if (digit < 0)
        return G_MAXUINT32;
      value = value << 4 | digit;
    }

  return value;
}

static char *
token_dup (const char      *json,
           const jsmntok_t *token)
{
  GString *out;

  if (token->type == JSMN_PRIMITIVE)
    return g_strndup (json + token->start, token->end - token->start);

  if (token->type != JSMN_STRING)
    return NULL;

  out = g_string_sized_new (token->end - token->start);
  for (int i = token->start; i < token->end; i++)
    {
      char c = json[i];

      if (c != '\\' || i + 1 >= token->end)
        {
          g_string_append_c (out, c);
          continue;
        }

      c = json[++i];
      switch (c)
        {
        case 'n': g_string_append_c (out, '\n'); break;
        case 't': g_string_append_c (out, '\t'); break;
        case 'r': g_string_append_c (out, '\r'); break;
        case 'b': g_string_append_c (out, '\b'); break;
        case 'f': g_string_append_c (out, '\f'); break;
        case 'u':
          if (i + 4 < token->end)
            {
              gunichar ch = hex4 (json + i + 1);

              i += 4;
              /* A high surrogate followed by a low one is one character (U+10000 and up, emoji);
               * an unpaired half, or an invalid escape, becomes U+FFFD. */
              if (ch >= 0xD800 && ch <= 0xDBFF && i + 6 < token->end && json[i + 1] == '\\' && json[i + 2] == 'u')
                {
                  gunichar low = hex4 (json + i + 3);

                  if (low >= 0xDC00 && low <= 0xDFFF)
                    {
                      ch = 0x10000 + ((ch - 0xD800) << 10) + (low - 0xDC00);
                      i += 6;
                    }
                }
              if (ch == G_MAXUINT32 || ch == 0 || (ch >= 0xD800 && ch <= 0xDFFF))
                ch = 0xFFFD;
              g_string_append_unichar (out, ch);
            }
          break;
        default: g_string_append_c (out, c); break;
        }
    }

  if (!g_utf8_validate (out->str, out->len, NULL))
    {
      char *valid = g_utf8_make_valid (out->str, out->len);

      g_string_free (out, TRUE);
      return valid;
    }

  return g_string_free (out, FALSE);
}

static char *
safe_token_dup (const char      *json,
                const jsmntok_t *token)
{
  g_autofree char *text = NULL;
  gboolean plain = token->type == JSMN_STRING;

  /* Nearly every string is printable ASCII without escapes: copied as it is. */
  for (int i = token->start; plain && i < token->end; i++)
    plain = json[i] >= 0x20 && json[i] < 0x7f && json[i] != '\\';
  if (plain)
    return g_strndup (json + token->start, token->end - token->start);

  text = token_dup (json, token);
  return paddock_text_make_safe (text);
}

/* Numbers mean what they say: no negative usage, no uptime of a million years (shown as "—"). */
#define MAX_UPTIME_SECONDS (100LL * 365 * 86400)

static void
guest_record_clamp (PaddockGuestRecord *record)
{
  record->cpu = MAX (record->cpu, 0.0);
  record->maxcpu = MAX (record->maxcpu, 0.0);
  record->mem = MAX (record->mem, 0);
  record->maxmem = MAX (record->maxmem, 0);
  record->disk = MAX (record->disk, 0);
  record->maxdisk = MAX (record->maxdisk, 0);
  record->netin = MAX (record->netin, 0);
  record->netout = MAX (record->netout, 0);
  record->diskread = MAX (record->diskread, 0);
  record->diskwrite = MAX (record->diskwrite, 0);
  if (record->uptime < 0 || record->uptime > MAX_UPTIME_SECONDS)
    record->uptime = 0;
}

static gboolean
token_equals (const char      *json,
              const jsmntok_t *token,
              const char      *text)
{
  gsize length = strlen (text);

  return token->type == JSMN_STRING && (gsize) (token->end - token->start) == length &&
         memcmp (json + token->start, text, length) == 0;
}

static double
token_number (const char      *json,
              const jsmntok_t *token)
{
  char buffer[64];
  gsize length = token->end - token->start;
  char *end = NULL;
  double value;

  if ((token->type != JSMN_PRIMITIVE && token->type != JSMN_STRING) || length == 0 || length >= sizeof buffer)
    return 0;

  /* Most numbers are plain integers (bytes, seconds): read without strtod. */
  if (length <= 15)
    {
      const char *digits = json + token->start;
      gboolean negative = digits[0] == '-';
      gint64 integer = 0;
      gsize i = negative ? 1 : 0;

      for (; i < length && digits[i] >= '0' && digits[i] <= '9'; i++)
        integer = integer * 10 + (digits[i] - '0');
      if (i == length && length > (gsize) negative)
        return negative ? -integer : integer;
    }

  memcpy (buffer, json + token->start, length);
  buffer[length] = '\0';
  if (g_str_equal (buffer, "true"))
    return 1;
  value = g_ascii_strtod (buffer, &end);

  return end != buffer && isfinite (value) ? value : 0;
}

/* Index of the token after the whole value starting at @index. */
static int
skip_value (const jsmntok_t *tokens,
            int              index,
            int              count)
{
  int remaining = 1;

  while (remaining > 0 && index < count)
    {
      const jsmntok_t *token = &tokens[index++];

      if (token->type == JSMN_OBJECT)
        remaining += token->size * 2;
      else if (token->type == JSMN_ARRAY)
        remaining += token->size;
      remaining--;
    }

  return index;
}

static int
read_guest (const char         *json,
            const jsmntok_t    *tokens,
            int                 index,
            int                 count,
            PaddockGuestRecord *record)
{
  int members = tokens[index].size;

  index++;
  for (int m = 0; m < members && index + 1 < count; m++)
    {
      const jsmntok_t *key = &tokens[index];
      const jsmntok_t *value = &tokens[index + 1];

      if (value->type == JSMN_OBJECT || value->type == JSMN_ARRAY)
        {
          index = skip_value (tokens, index + 1, count);
          continue;
        }

#define STRING_MEMBER(name, field) \
      else if (token_equals (json, key, name)) { g_free (record->field); record->field = safe_token_dup (json, value); }
#define DOUBLE_MEMBER(name, field) \
      else if (token_equals (json, key, name)) record->field = token_number (json, value);
#define INT_MEMBER(name, field) \
      else if (token_equals (json, key, name)) record->field = clamp_to_int64 (token_number (json, value));

      if (token_equals (json, key, "vmid"))
        {
          double vmid = token_number (json, value);

          record->vmid = vmid >= 1 && vmid <= G_MAXUINT32 ? (guint) vmid : 0;
        }
      else if (token_equals (json, key, "template"))
        record->template = token_number (json, value) != 0;
      STRING_MEMBER ("type", type)
      STRING_MEMBER ("node", node)
      STRING_MEMBER ("name", name)
      STRING_MEMBER ("status", status)
      STRING_MEMBER ("tags", tags)
      STRING_MEMBER ("lock", lock)
      STRING_MEMBER ("hastate", hastate)
      STRING_MEMBER ("pool", pool)
      DOUBLE_MEMBER ("cpu", cpu)
      DOUBLE_MEMBER ("maxcpu", maxcpu)
      DOUBLE_MEMBER ("cpus", maxcpu)
      INT_MEMBER ("mem", mem)
      INT_MEMBER ("maxmem", maxmem)
      INT_MEMBER ("disk", disk)
      INT_MEMBER ("maxdisk", maxdisk)
      INT_MEMBER ("uptime", uptime)
      INT_MEMBER ("netin", netin)
      INT_MEMBER ("netout", netout)
      INT_MEMBER ("diskread", diskread)
      INT_MEMBER ("diskwrite", diskwrite)

#undef STRING_MEMBER
#undef DOUBLE_MEMBER
#undef INT_MEMBER

      index += 2;
    }

  return index;
}

/**
 * paddock_pve_parse_guest_list:
 * @body: a whole response body, `{"data": [ … ]}`
 * @lxc_only: keep only entries of type "lxc" (a /nodes/{n}/lxc list has type "lxc" on each)
 *
 * Returns: (transfer container) (element-type PaddockGuestRecord): the guests, in response order
 */
/* The nesting limit of paddock_json_check_depth, on jsmn's tokens (parents come before their
 * children): cheaper than another pass over the text on the 3 MB hot path. */
static gboolean
tokens_within_depth (const jsmntok_t  *tokens,
                     int               count,
                     GError          **error)
{
  g_autofree guint8 *depth = g_new (guint8, count);

  for (int i = 0; i < count; i++)
    {
      int parent = tokens[i].parent;
      guint d = parent >= 0 && parent < i ? depth[parent] : 0;

      if (tokens[i].type == JSMN_OBJECT || tokens[i].type == JSMN_ARRAY)
        d++;
      if (d > MAX_JSON_DEPTH)
        {
          g_set_error (error, PADDOCK_PVE_ERROR, PADDOCK_PVE_ERROR_PROTOCOL,
                       "The server's answer nests deeper than %u levels (at byte %d): Proxmox never does; "
                       "Paddock did not parse it", MAX_JSON_DEPTH, tokens[i].start);
          return FALSE;
        }
      depth[i] = d;
    }

  return TRUE;
}

GPtrArray *
paddock_pve_parse_guest_list (const char  *body,
                              gsize        length,
                              gboolean     lxc_only,
                              GError     **error)
{
  g_autoptr(GPtrArray) guests = g_ptr_array_new_with_free_func ((GDestroyNotify) paddock_guest_record_free);
  g_autofree jsmntok_t *tokens = NULL;
  jsmn_parser parser;
  gsize max_tokens = length / 3 + 64;
  gsize allocated;
  int count;
  int index;
  int data = -1;

  if (body == NULL || length == 0)
    {
      g_set_error (error, PADDOCK_PVE_ERROR, PADDOCK_PVE_ERROR_PROTOCOL, "The container list is empty");
      return NULL;
    }

  /* One pass: tokens grow when jsmn runs out (it resumes where it stopped), up to a bound no
   * Proxmox answer comes near (about one token per 8 bytes; a guest's shortest member is ~8). */
  jsmn_init (&parser);
  allocated = MIN (length / 8 + 64, max_tokens);
  tokens = g_new (jsmntok_t, allocated);
  while ((count = jsmn_parse (&parser, body, length, tokens, allocated)) == JSMN_ERROR_NOMEM &&
         allocated < max_tokens)
    {
      allocated = MIN (allocated * 2, max_tokens);
      tokens = g_renew (jsmntok_t, tokens, allocated);
    }
  if (count == JSMN_ERROR_NOMEM)
    {
      /* Deep nesting is the usual way to get there: say so when it is. */
      if (!tokens_within_depth (tokens, parser.toknext, error))
        return NULL;
      g_set_error (error, PADDOCK_PVE_ERROR, PADDOCK_PVE_ERROR_PROTOCOL,
                   "The container list has more values than its size allows (%" G_GSIZE_FORMAT " bytes): "
                   "not a Proxmox answer", length);
      return NULL;
    }
  if (count <= 0)
    {
      g_set_error (error, PADDOCK_PVE_ERROR, PADDOCK_PVE_ERROR_PROTOCOL,
                   "The container list is not valid JSON (at byte %u of %" G_GSIZE_FORMAT ")",
                   parser.pos, length);
      return NULL;
    }

  if (!tokens_within_depth (tokens, count, error))
    return NULL;

  if (tokens[0].type != JSMN_OBJECT)
    {
      g_set_error (error, PADDOCK_PVE_ERROR, PADDOCK_PVE_ERROR_PROTOCOL,
                   "The container list is not a Proxmox API response");
      return NULL;
    }

  /* Find "data" among the top-level members. */
  index = 1;
  for (int m = 0; m < tokens[0].size && index + 1 < count; m++)
    {
      if (token_equals (body, &tokens[index], "data"))
        {
          data = index + 1;
          break;
        }
      index = skip_value (tokens, index + 1, count);
    }

  if (data < 0 || tokens[data].type != JSMN_ARRAY)
    {
      g_set_error (error, PADDOCK_PVE_ERROR, PADDOCK_PVE_ERROR_PROTOCOL,
                   "The container list has no “data” array");
      return NULL;
    }

  index = data + 1;
  for (int i = 0; i < tokens[data].size && index < count; i++)
    {
      g_autoptr(PaddockGuestRecord) record = NULL;

      if (tokens[index].type != JSMN_OBJECT)
        {
          index = skip_value (tokens, index, count);
          continue;
        }

      record = g_new0 (PaddockGuestRecord, 1);
      index = read_guest (body, tokens, index, count, record);
      guest_record_clamp (record);

      if (record->vmid == 0)
        continue;
      if (lxc_only && g_strcmp0 (record->type, "lxc") != 0)
        continue;
      g_ptr_array_add (guests, g_steal_pointer (&record));
    }

  return g_steal_pointer (&guests);
}

/* Property strings and UPIDs */

GHashTable *
paddock_pve_parse_property_string (const char  *text,
                                   const char  *default_key,
                                   GError     **error)
{
  g_autoptr(GHashTable) values = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_auto(GStrv) parts = NULL;

  if (text == NULL)
    {
      g_set_error (error, PADDOCK_PVE_ERROR, PADDOCK_PVE_ERROR_PROTOCOL, "Empty property string");
      return NULL;
    }

  parts = g_strsplit (text, ",", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    {
      const char *part = parts[i];
      const char *eq = strchr (part, '=');
      g_autofree char *key = NULL;

      if (*part == '\0')
        continue;

      if (eq == NULL)
        {
          if (default_key == NULL || g_hash_table_contains (values, default_key))
            {
              g_set_error (error, PADDOCK_PVE_ERROR, PADDOCK_PVE_ERROR_PROTOCOL,
                           "“%s” in “%s” has no key", part, text);
              return NULL;
            }
          g_hash_table_insert (values, g_strdup (default_key), g_strdup (part));
          continue;
        }

      key = g_strndup (part, eq - part);
      if (*key == '\0')
        {
          g_set_error (error, PADDOCK_PVE_ERROR, PADDOCK_PVE_ERROR_PROTOCOL,
                       "An empty key in “%s”", text);
          return NULL;
        }
      if (g_hash_table_contains (values, key))
        {
          g_set_error (error, PADDOCK_PVE_ERROR, PADDOCK_PVE_ERROR_PROTOCOL,
                       "“%s” appears twice in “%s”", key, text);
          return NULL;
        }
      g_hash_table_insert (values, g_steal_pointer (&key), g_strdup (eq + 1));
    }

  return g_steal_pointer (&values);
}

void
paddock_upid_clear (PaddockUpid *upid)
{
  g_clear_pointer (&upid->node, g_free);
  g_clear_pointer (&upid->type, g_free);
  g_clear_pointer (&upid->id, g_free);
  g_clear_pointer (&upid->user, g_free);
}

/* UPID:node:PID:PSTART:STARTTIME:type:id:user: (pve-common PVE::UPID). */
gboolean
paddock_pve_parse_upid (const char   *text,
                        PaddockUpid  *upid,
                        GError      **error)
{
  static GRegex *regex;
  g_autoptr(GMatchInfo) match = NULL;

  if (g_once_init_enter (&regex))
    g_once_init_leave (&regex,
                       g_regex_new ("^UPID:([a-zA-Z0-9]([a-zA-Z0-9\\-]*[a-zA-Z0-9])?):([0-9A-Fa-f]{8}):"
                                    "([0-9A-Fa-f]{8,9}):([0-9A-Fa-f]{8}):([^:\\s/]+):([^:\\s/]*):([^:\\s/]+):$",
                                    G_REGEX_OPTIMIZE, 0, NULL));

  memset (upid, 0, sizeof *upid);

  /* GRegex works on UTF-8 only: anything else is not a UPID (and must not reach PCRE). */
  if (text == NULL || !g_utf8_validate (text, -1, NULL) || !g_regex_match (regex, text, 0, &match))
    {
      g_autofree char *shown = text ? g_utf8_make_valid (text, MIN (strlen (text), 120)) : g_strdup ("");

      g_set_error (error, PADDOCK_PVE_ERROR, PADDOCK_PVE_ERROR_PROTOCOL, "“%s” is not a Proxmox task id (UPID)", shown);
      return FALSE;
    }

  upid->node = g_match_info_fetch (match, 1);
  {
    g_autofree char *pid = g_match_info_fetch (match, 3);
    g_autofree char *pstart = g_match_info_fetch (match, 4);
    g_autofree char *starttime = g_match_info_fetch (match, 5);

    upid->pid = (guint) g_ascii_strtoull (pid, NULL, 16);
    upid->pstart = g_ascii_strtoull (pstart, NULL, 16);
    upid->starttime = (gint64) g_ascii_strtoull (starttime, NULL, 16);
  }
  upid->type = g_match_info_fetch (match, 6);
  upid->id = g_match_info_fetch (match, 7);
  upid->user = g_match_info_fetch (match, 8);

  return TRUE;
}
