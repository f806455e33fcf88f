/* SPDX-License-Identifier: GPL-3.0-or-later */
/* paddock-shell.c: remote command lines built only from quoted arguments */

#include "config.h"

#include <string.h>

#include "paddock-error.h"
#include "paddock-shell.h"

gboolean
paddock_shell_check_argument (const char  *data,
                              gssize       length,
                              GError     **error)
{
  if (data == NULL)
    {
      g_set_error_literal (error, PADDOCK_SSH_ERROR, PADDOCK_SSH_ERROR_INVALID, "A command argument is missing");
      return FALSE;
    }

  if (length < 0)
    length = strlen (data);

  if (memchr (data, '\0', length) != NULL)
    {
      g_set_error_literal (error, PADDOCK_SSH_ERROR, PADDOCK_SSH_ERROR_INVALID,
                           "A command argument contains a NUL byte, which no command line can carry");
      return FALSE;
    }

  if (!g_utf8_validate (data, length, NULL))
    {
      g_set_error_literal (error, PADDOCK_SSH_ERROR, PADDOCK_SSH_ERROR_INVALID,
                           "A command argument is not valid UTF-8 text");
      return FALSE;
    }

  return TRUE;
}

char *
paddock_shell_join (const char * const  *argv,
                    GError             **error)
{
  g_autoptr(GString) line = g_string_new (NULL);

  g_return_val_if_fail (argv != NULL && argv[0] != NULL, NULL);

  for (guint i = 0; argv[i] != NULL; i++)
    {
      g_autofree char *quoted = NULL;

      if (!paddock_shell_check_argument (argv[i], -1, error))
        return NULL;

      /* g_shell_quote() single-quotes, and writes a quote as '\'': nothing inside is special
       * to sh, bash or dash, newlines included. */
      quoted = g_shell_quote (argv[i]);
      if (i > 0)
        g_string_append_c (line, ' ');
      g_string_append (line, quoted);
    }

  return g_string_free (g_steal_pointer (&line), FALSE);
}

char *
paddock_shell_pct_exec (guint        vmid,
                        const char  *script,
                        GError     **error)
{
  g_autofree char *id = g_strdup_printf ("%u", vmid);
  const char *argv[] = { "pct", "exec", id, "--", "sh", "-c", script, NULL };

  if (vmid < 100 || vmid > 999999999)
    {
      g_set_error (error, PADDOCK_SSH_ERROR, PADDOCK_SSH_ERROR_INVALID, "%u is not a container id (100–999999999)", vmid);
      return NULL;
    }

  return paddock_shell_join (argv, error);
}
