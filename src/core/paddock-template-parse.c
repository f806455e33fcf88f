/* SPDX-License-Identifier: GPL-3.0-or-later */
/* paddock-template-parse.c: template.conf as bash assignments, and package lines, never executed */

#include "config.h"

#include <string.h>

#include "paddock-template-parse-private.h"

typedef struct
{
  const char *p;
  const char *end;
  guint       line;
  const char *file_name;
  GHashTable *values;
  GPtrArray  *warnings;
} Reader;

static void
conf_value_free (gpointer data)
{
  PaddockConfValue *value = data;

  if (value == NULL)
    return;

  g_free (value->value);
  g_free (value);
}

static void
warn (Reader     *reader,
      const char *format,
      ...) G_GNUC_PRINTF (2, 3);

static void
warn (Reader     *reader,
      const char *format,
      ...)
{
  g_autofree char *message = NULL;
  va_list args;

  if (reader->warnings == NULL)
    return;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  g_ptr_array_add (reader->warnings, g_strdup_printf ("%s:%u: %s", reader->file_name, reader->line, message));
}

static gboolean
fail (Reader      *reader,
      guint        line,
      GError     **error,
      const char  *message)
{
  g_set_error (error, PADDOCK_TEMPLATE_ERROR, PADDOCK_TEMPLATE_ERROR_PARSE,
               "%s:%u: %s", reader->file_name, line, message);
  return FALSE;
}

static inline gboolean
at_end (Reader *reader)
{
  return reader->p >= reader->end;
}

static inline char
peek (Reader *reader,
      gsize   ahead)
{
  return reader->p + ahead < reader->end ? reader->p[ahead] : '\0';
}

static inline void
advance (Reader *reader)
{
  if (*reader->p == '\n')
    reader->line++;
  reader->p++;
}

static gboolean
is_name_start (char c)
{
  return g_ascii_isalpha (c) || c == '_';
}

static gboolean
is_name_char (char c)
{
  return g_ascii_isalnum (c) || c == '_';
}

/* Copies a construct that needs a shell ($(…), `…`) to @out unchanged, balancing parentheses. */
static gboolean
copy_substitution (Reader   *reader,
                   GString  *out,
                   GError  **error)
{
  guint start_line = reader->line;

  if (peek (reader, 0) == '`')
    {
      g_string_append_c (out, '`');
      advance (reader);
      while (!at_end (reader) && peek (reader, 0) != '`')
        {
          g_string_append_c (out, peek (reader, 0));
          advance (reader);
        }
      if (at_end (reader))
        return fail (reader, start_line, error, "unterminated “`”");
      g_string_append_c (out, '`');
      advance (reader);
    }
  else
    {
      guint depth = 0;

      do
        {
          char c = peek (reader, 0);

          if (c == '(')
            depth++;
          else if (c == ')')
            depth--;
          g_string_append_c (out, c);
          advance (reader);
        }
      while (!at_end (reader) && depth > 0);

      if (depth > 0)
        return fail (reader, start_line, error, "unterminated “$(”");
    }

  warn (reader, "a command substitution is kept as written, not run: %s", out->str);
  return TRUE;
}

static gboolean read_word (Reader   *reader,
                           GString  *out,
                           char      terminator,
                           guint     depth,
                           GError  **error);

/* After a "$": ${NAME:-default} and its relatives; anything else stays literal. */
static gboolean
read_expansion (Reader   *reader,
                GString  *out,
                guint     depth,
                GError  **error)
{
  guint start_line = reader->line;
  const char *name_start;
  g_autofree char *name = NULL;

  advance (reader); /* $ */

  if (peek (reader, 0) == '(' )
    {
      g_autoptr(GString) text = g_string_new ("$");
      if (!copy_substitution (reader, text, error))
        return FALSE;
      g_string_append (out, text->str);
      return TRUE;
    }

  if (is_name_start (peek (reader, 0)))
    {
      name_start = reader->p;
      while (!at_end (reader) && is_name_char (peek (reader, 0)))
        advance (reader);
      name = g_strndup (name_start, reader->p - name_start);
      g_string_append_printf (out, "$%s", name);
      warn (reader, "“$%s” is kept as written; Paddock does not expand variables", name);
      return TRUE;
    }

  if (peek (reader, 0) != '{')
    {
      g_string_append_c (out, '$');
      return TRUE;
    }

  advance (reader); /* { */
  name_start = reader->p;
  while (!at_end (reader) && is_name_char (peek (reader, 0)))
    advance (reader);
  name = g_strndup (name_start, reader->p - name_start);

  if (name[0] != '\0' && peek (reader, 0) == '}')
    {
      advance (reader);
      g_string_append_printf (out, "${%s}", name);
      warn (reader, "“${%s}” is kept as written; Paddock does not expand variables", name);
      return TRUE;
    }

  if (name[0] != '\0' && is_name_start (name[0])
      && (peek (reader, 0) == '-' || peek (reader, 0) == '='
          || (peek (reader, 0) == ':' && (peek (reader, 1) == '-' || peek (reader, 1) == '='))))
    {
      gboolean unset_or_empty = peek (reader, 0) == ':';
      g_autoptr(GString) fallback = g_string_new (NULL);
      PaddockConfValue *earlier;

      if (unset_or_empty)
        advance (reader);
      advance (reader);

      if (!read_word (reader, fallback, '}', depth + 1, error))
        return FALSE;
      if (peek (reader, 0) != '}')
        return fail (reader, start_line, error, "unterminated “${”");
      advance (reader);

      /* The shell's environment is not ours to read: only assignments earlier in the file
       * count, as if the file were sourced by a clean shell. */
      earlier = g_hash_table_lookup (reader->values, name);
      if (earlier != NULL && (!unset_or_empty || earlier->value[0] != '\0'))
        g_string_append (out, earlier->value);
      else
        g_string_append (out, fallback->str);
      return TRUE;
    }

  /* Other parameter expansions (${#X}, ${X%y}, ${X:+y}…): keep the text up to the brace. */
  {
    g_autoptr(GString) text = g_string_new ("${");

    g_string_append (text, name);
    while (!at_end (reader) && peek (reader, 0) != '}' && peek (reader, 0) != '\n')
      {
        g_string_append_c (text, peek (reader, 0));
        advance (reader);
      }
    if (peek (reader, 0) != '}')
      return fail (reader, start_line, error, "unterminated “${”");
    advance (reader);
    g_string_append_c (text, '}');
    warn (reader, "“%s” is kept as written; Paddock does not expand variables", text->str);
    g_string_append (out, text->str);
  }

  return TRUE;
}

/* Reads one shell word (quotes removed, escapes resolved) into @out, stopping before
 * unquoted blanks, ";", "&", "|", newline, or @terminator (inside ${…}). */
static gboolean
read_word (Reader   *reader,
           GString  *out,
           char      terminator,
           guint     depth,
           GError  **error)
{
  if (depth > 16)
    return fail (reader, reader->line, error, "expansions are nested too deeply");

  while (!at_end (reader))
    {
      char c = peek (reader, 0);

      if (terminator != '\0' && c == terminator)
        return TRUE;
      if (terminator == '\0' && (c == ' ' || c == '\t' || c == '\n' || c == ';' || c == '&' || c == '|'
                                 || c == '\r'))
        return TRUE;
      if (terminator != '\0' && c == '\n')
        return TRUE;

      if (c == '\'')
        {
          guint start_line = reader->line;

          advance (reader);
          while (!at_end (reader) && peek (reader, 0) != '\'')
            {
              g_string_append_c (out, peek (reader, 0));
              advance (reader);
            }
          if (at_end (reader))
            return fail (reader, start_line, error, "unterminated single quote");
          advance (reader);
        }
      else if (c == '"')
        {
          guint start_line = reader->line;

          advance (reader);
          while (!at_end (reader) && peek (reader, 0) != '"')
            {
              char d = peek (reader, 0);

              if (d == '\\' && strchr ("$`\"\\\n", peek (reader, 1)) != NULL && peek (reader, 1) != '\0')
                {
                  advance (reader);
                  if (peek (reader, 0) != '\n')
                    g_string_append_c (out, peek (reader, 0));
                  advance (reader);
                }
              else if (d == '$')
                {
                  if (!read_expansion (reader, out, depth, error))
                    return FALSE;
                }
              else if (d == '`')
                {
                  if (!copy_substitution (reader, out, error))
                    return FALSE;
                }
              else
                {
                  g_string_append_c (out, d);
                  advance (reader);
                }
            }
          if (at_end (reader))
            return fail (reader, start_line, error, "unterminated double quote");
          advance (reader);
        }
      else if (c == '\\')
        {
          advance (reader);
          if (at_end (reader))
            break;
          if (peek (reader, 0) != '\n')
            g_string_append_c (out, peek (reader, 0));
          advance (reader);
        }
      else if (c == '$')
        {
          if (!read_expansion (reader, out, depth, error))
            return FALSE;
        }
      else if (c == '`')
        {
          if (!copy_substitution (reader, out, error))
            return FALSE;
        }
      else
        {
          g_string_append_c (out, c);
          advance (reader);
        }
    }

  return TRUE;
}

static void
skip_blanks (Reader *reader)
{
  while (!at_end (reader))
    {
      char c = peek (reader, 0);

      if (c == ' ' || c == '\t' || c == '\r')
        advance (reader);
      else if (c == '\\' && peek (reader, 1) == '\n')
        {
          advance (reader);
          advance (reader);
        }
      else
        break;
    }
}

static void
skip_to_line_end (Reader *reader)
{
  while (!at_end (reader) && peek (reader, 0) != '\n')
    advance (reader);
}

/* NAME= at the reader, or 0. */
static gsize
assignment_name_length (Reader *reader)
{
  gsize n = 0;

  if (!is_name_start (peek (reader, 0)))
    return 0;
  while (is_name_char (peek (reader, n)))
    n++;

  return peek (reader, n) == '=' ? n : 0;
}

static gboolean
word_at (Reader     *reader,
         const char *word)
{
  gsize len = strlen (word);

  return (gsize) (reader->end - reader->p) > len && strncmp (reader->p, word, len) == 0
         && (reader->p[len] == ' ' || reader->p[len] == '\t');
}

GHashTable *
_paddock_conf_parse (const char  *text,
                     gsize        length,
                     const char  *file_name,
                     GPtrArray   *warnings,
                     GError     **error)
{
  g_autoptr(GHashTable) values = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, conf_value_free);
  const char *invalid = NULL;
  Reader reader = {
    .p = text,
    .end = text + length,
    .line = 1,
    .file_name = file_name,
    .values = values,
    .warnings = warnings,
  };

  if (memchr (text, '\0', length) != NULL)
    {
      guint line = 1;

      for (const char *p = text; *p; p++)
        line += *p == '\n';
      fail (&reader, line, error, "the file contains a NUL byte; it is not a text file");
      return NULL;
    }

  if (!g_utf8_validate (text, length, &invalid))
    {
      guint line = 1;

      for (const char *p = text; p < invalid; p++)
        line += *p == '\n';
      fail (&reader, line, error, "the file is not UTF-8 text");
      return NULL;
    }

  /* A byte order mark from an editor on another system */
  if (length >= 3 && memcmp (text, "\xEF\xBB\xBF", 3) == 0)
    reader.p += 3;

  while (!at_end (&reader))
    {
      g_autoptr(GPtrArray) pending = g_ptr_array_new_with_free_func (conf_value_free);
      g_autoptr(GPtrArray) pending_names = g_ptr_array_new_with_free_func (g_free);
      gboolean is_command = FALSE;
      gsize name_len;

      skip_blanks (&reader);
      if (at_end (&reader))
        break;

      if (peek (&reader, 0) == '\n' || peek (&reader, 0) == ';')
        {
          advance (&reader);
          continue;
        }
      if (peek (&reader, 0) == '#')
        {
          skip_to_line_end (&reader);
          continue;
        }

      /* "export A=1", "readonly A=1", "declare -x A=1": the assignment is what counts. */
      if (word_at (&reader, "export") || word_at (&reader, "readonly") || word_at (&reader, "declare")
          || word_at (&reader, "local") || word_at (&reader, "typeset"))
        {
          while (!at_end (&reader) && peek (&reader, 0) != ' ' && peek (&reader, 0) != '\t')
            advance (&reader);
          skip_blanks (&reader);
          while (peek (&reader, 0) == '-')
            {
              while (!at_end (&reader) && peek (&reader, 0) != ' ' && peek (&reader, 0) != '\t' && peek (&reader, 0) != '\n')
                advance (&reader);
              skip_blanks (&reader);
            }
          if (is_name_start (peek (&reader, 0)) && !assignment_name_length (&reader))
            {
              /* "export NAME" marks a variable for export and assigns nothing. */
              while (is_name_char (peek (&reader, 0)) || peek (&reader, 0) == ' ' || peek (&reader, 0) == '\t')
                advance (&reader);
              if (peek (&reader, 0) == '#' || peek (&reader, 0) == '\n' || peek (&reader, 0) == ';' || at_end (&reader))
                continue;
            }
        }

      /* One or more assignments, then the end of the statement (or a command: ignored). */
      while ((name_len = assignment_name_length (&reader)) > 0)
        {
          g_autoptr(GString) value = g_string_new (NULL);
          PaddockConfValue *conf_value = g_new0 (PaddockConfValue, 1);
          char *name = g_strndup (reader.p, name_len);

          conf_value->line = reader.line;
          reader.p += name_len + 1;

          if (!read_word (&reader, value, '\0', 0, error))
            {
              g_free (name);
              conf_value_free (conf_value);
              return NULL;
            }

          conf_value->value = g_string_free (g_steal_pointer (&value), FALSE);
          g_ptr_array_add (pending, conf_value);
          g_ptr_array_add (pending_names, name);
          skip_blanks (&reader);
        }

      if (!at_end (&reader) && peek (&reader, 0) != '\n' && peek (&reader, 0) != ';' && peek (&reader, 0) != '#')
        is_command = TRUE;

      if (is_command)
        {
          g_autofree char *line_text = NULL;
          const char *start = reader.p;

          skip_to_line_end (&reader);
          line_text = g_strndup (start, MIN (reader.p - start, 60));
          warn (&reader, pending->len > 0
                ? "a command with variable assignments is not run, and its assignments do not count: %s"
                : "not an assignment; ignored and not run: %s",
                line_text);
          continue;
        }

      if (peek (&reader, 0) == '#')
        skip_to_line_end (&reader);

      for (guint i = 0; i < pending->len; i++)
        {
          g_hash_table_replace (values, g_steal_pointer (&pending_names->pdata[i]),
                                g_steal_pointer (&pending->pdata[i]));
        }
    }

  return g_steal_pointer (&values);
}

/* Package lines */

/* A "#" starts a comment at the start of the line or after a blank, as in the shell files
 * these lines came from; "c#" stays part of a name. */
static char *
strip_comment (const char *line)
{
  for (const char *p = line; *p; p++)
    {
      if (*p == '#' && (p == line || g_ascii_isspace (p[-1])))
        return g_strndup (line, p - line);
    }

  return g_strdup (line);
}

/* "name|check|install[|timeout]". Install commands often hold pipes ("curl … | bash"): with
 * more than four fields, a last field of digits is the timeout and everything between the
 * check and it is the install command. Check commands cannot hold "|". */
static gboolean
parse_custom (const char       *line,
              PaddockPackage  **package,
              GError          **error)
{
  g_auto(GStrv) fields = g_strsplit (line, "|", -1);
  g_autoptr(PaddockPackage) custom = NULL;
  guint n = g_strv_length (fields);
  guint install_end = n;

  if (n < 3)
    {
      g_set_error (error, PADDOCK_TEMPLATE_ERROR, PADDOCK_TEMPLATE_ERROR_PARSE,
                   "a custom package is “name|check command|install command[|timeout]”, this line has %u field%s",
                   n, n == 1 ? "" : "s");
      return FALSE;
    }

  for (guint i = 0; i < n; i++)
    g_strstrip (fields[i]);

  custom = paddock_package_new (PADDOCK_PACKAGE_CUSTOM, fields[0], NULL);
  custom->check_command = g_strdup (fields[1]);

  if (n >= 4 && fields[n - 1][0] != '\0' && strspn (fields[n - 1], "0123456789") == strlen (fields[n - 1]))
    {
      guint64 timeout = 0;

      if (!g_ascii_string_to_unsigned (fields[n - 1], 10, 1, 86400, &timeout, NULL))
        {
          g_set_error (error, PADDOCK_TEMPLATE_ERROR, PADDOCK_TEMPLATE_ERROR_PARSE,
                       "the timeout “%s” is not a number of seconds between 1 and 86400", fields[n - 1]);
          return FALSE;
        }
      custom->timeout = timeout;
      install_end = n - 1;
    }
  /* Rejoined as written, so the command keeps its own spacing around "|". */
  {
    g_auto(GStrv) raw = g_strsplit (line, "|", -1);
    g_autoptr(GString) install = g_string_new (NULL);

    for (guint i = 2; i < install_end; i++)
      g_string_append_printf (install, "%s%s", i > 2 ? "|" : "", raw[i]);
    custom->install_command = g_strdup (g_strstrip (install->str));
  }

  if (!paddock_package_validate (custom, error))
    return FALSE;

  *package = g_steal_pointer (&custom);
  return TRUE;
}

static const char *
find_version_separator (PaddockPackageManager  manager,
                        const char            *spec)
{
  switch (manager)
    {
    case PADDOCK_PACKAGE_APT:
    case PADDOCK_PACKAGE_APK:
      return strchr (spec, '=');

    case PADDOCK_PACKAGE_DNF:
      /* "nodejs-18.19.0": the first "-" followed by a digit; "python3-pip" has none. */
      for (const char *p = spec + 1; *p; p++)
        if (*p == '-' && g_ascii_isdigit (p[1]))
          return p;
      return NULL;

    case PADDOCK_PACKAGE_NPM:
      {
        /* "@scope/name@1.2": the last "@" that is not the scope's. */
        const char *at = strrchr (spec, '@');
        return at != NULL && at != spec ? at : NULL;
      }

    case PADDOCK_PACKAGE_PIP:
      return strpbrk (spec, "=<>!~");

    case PADDOCK_PACKAGE_CUSTOM:
    default:
      return NULL;
    }
}

gboolean
_paddock_package_line_parse (PaddockPackageManager   manager,
                             const char             *line,
                             PaddockPackage        **package,
                             GError                **error)
{
  g_autofree char *spec = NULL;
  g_autoptr(PaddockPackage) parsed = NULL;
  const char *separator;

  g_return_val_if_fail (package != NULL, FALSE);

  *package = NULL;

  if (!g_utf8_validate (line, -1, NULL))
    {
      g_set_error_literal (error, PADDOCK_TEMPLATE_ERROR, PADDOCK_TEMPLATE_ERROR_PARSE, "the line is not UTF-8 text");
      return FALSE;
    }

  spec = g_strstrip (strip_comment (line));
  if (spec[0] == '\0')
    return TRUE;

  if (manager == PADDOCK_PACKAGE_CUSTOM)
    return parse_custom (spec, package, error);

  if (strpbrk (spec, " \t") != NULL)
    {
      g_set_error (error, PADDOCK_TEMPLATE_ERROR, PADDOCK_TEMPLATE_ERROR_PARSE,
                   "“%s” holds more than one word; write one package per line", spec);
      return FALSE;
    }

  separator = find_version_separator (manager, spec);
  if (separator != NULL)
    {
      g_autofree char *name = g_strndup (spec, separator - spec);
      const char *version = manager == PADDOCK_PACKAGE_PIP ? separator : separator + 1;

      if (version[0] == '\0')
        {
          g_set_error (error, PADDOCK_TEMPLATE_ERROR, PADDOCK_TEMPLATE_ERROR_PARSE,
                       "“%s” ends where its version should begin", spec);
          return FALSE;
        }
      /* pip's "==" is its default operator; keep it so the line reads back the same. */
      parsed = paddock_package_new (manager, name, version);
    }
  else
    parsed = paddock_package_new (manager, spec, NULL);

  if (!paddock_package_validate (parsed, error))
    return FALSE;

  *package = g_steal_pointer (&parsed);
  return TRUE;
}

PaddockPackage *
paddock_package_parse (PaddockPackageManager   manager,
                       const char             *line,
                       GError                **error)
{
  PaddockPackage *package = NULL;

  g_return_val_if_fail (line != NULL, NULL);

  if (!_paddock_package_line_parse (manager, line, &package, error))
    return NULL;
  if (package == NULL)
    g_set_error_literal (error, PADDOCK_TEMPLATE_ERROR, PADDOCK_TEMPLATE_ERROR_PARSE, "No package name given");

  return package;
}
