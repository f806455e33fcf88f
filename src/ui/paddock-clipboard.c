/* SPDX-License-Identifier: GPL-3.0-or-later */
/* paddock-clipboard.c: secrets on the clipboard that the clipboard forgets again */

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "paddock-clipboard.h"
#include "paddock-core.h"

/* One secret at a time: a second copy replaces the first, and its timer. */
static struct
{
  GdkClipboard *clipboard;
  char         *copied;
  guint         source;
} pending;

static void
forget_copied (void)
{
  if (pending.copied != NULL)
    paddock_secret_free (g_steal_pointer (&pending.copied));
}

static void
on_clipboard_read (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autofree char *text = gdk_clipboard_read_text_finish (GDK_CLIPBOARD (object), result, NULL);

  /* Only what Paddock put there: something the user copied since stays. */
  if (text != NULL && pending.copied != NULL && g_str_equal (text, pending.copied))
    gdk_clipboard_set_text (GDK_CLIPBOARD (object), "");
  forget_copied ();
  if (text != NULL)
    explicit_bzero (text, strlen (text));
  g_object_unref (object);
}

static gboolean
clear_clipboard (gpointer user_data)
{
  pending.source = 0;
  if (pending.clipboard != NULL)
    gdk_clipboard_read_text_async (pending.clipboard, NULL, on_clipboard_read, g_object_ref (pending.clipboard));
  else
    forget_copied ();

  return G_SOURCE_REMOVE;
}

char *
paddock_clipboard_copy_secret (GtkWidget  *widget,
                               const char *secret,
                               guint       delay_seconds)
{
  GdkClipboard *clipboard;

  g_return_val_if_fail (GTK_IS_WIDGET (widget), NULL);
  g_return_val_if_fail (secret != NULL, NULL);

  clipboard = gtk_widget_get_clipboard (widget);
  forget_copied ();
  g_clear_handle_id (&pending.source, g_source_remove);
  if (pending.clipboard != clipboard)
    {
      if (pending.clipboard != NULL)
        g_object_remove_weak_pointer (G_OBJECT (pending.clipboard), (gpointer *) &pending.clipboard);
      pending.clipboard = clipboard;
      g_object_add_weak_pointer (G_OBJECT (clipboard), (gpointer *) &pending.clipboard);
    }

  pending.copied = g_strdup (secret);
  gdk_clipboard_set_text (clipboard, pending.copied);

  if (delay_seconds == 0)
    {
      forget_copied ();
      return g_strdup (_("Copied"));
    }

  pending.source = g_timeout_add_seconds (delay_seconds, clear_clipboard, NULL);
  /* Translators: %u is seconds */
  return g_strdup_printf (ngettext ("Copied; the clipboard forgets it in %u second",
                                    "Copied; the clipboard forgets it in %u seconds", delay_seconds), delay_seconds);
}
