/* SPDX-License-Identifier: GPL-3.0-or-later */
/* paddock-console-window.c: containers' consoles side by side, one tab each; closing a tab or the
 * window where a session still runs asks first */

#include "config.h"

#include <glib/gi18n.h>

#include "paddock-console-window.h"

struct _PaddockConsoleWindow
{
  AdwApplicationWindow  parent_instance;

  gboolean              closing_confirmed;

  /* Template widgets */
  AdwTabView           *tab_view;
  AdwWindowTitle       *window_title;
};

G_DEFINE_FINAL_TYPE (PaddockConsoleWindow, paddock_console_window, ADW_TYPE_APPLICATION_WINDOW)

static guint
count_running (PaddockConsoleWindow *self)
{
  guint running = 0;

  for (int i = 0; i < adw_tab_view_get_n_pages (self->tab_view); i++)
    {
      AdwTabPage *page = adw_tab_view_get_nth_page (self->tab_view, i);

      running += paddock_console_get_running (PADDOCK_CONSOLE (adw_tab_page_get_child (page)));
    }

  return running;
}

static void
update_title (PaddockConsoleWindow *self)
{
  AdwTabPage *page = adw_tab_view_get_selected_page (self->tab_view);

  adw_window_title_set_subtitle (self->window_title, page ? adw_tab_page_get_title (page) : NULL);
}

typedef struct
{
  AdwTabView *view;
  AdwTabPage *page;
} PendingClose;

static void
on_close_answered (AdwMessageDialog *dialog,
                   const char       *response,
                   PendingClose     *pending)
{
  adw_tab_view_close_page_finish (pending->view, pending->page, g_str_equal (response, "close"));
  g_object_unref (pending->view);
  g_object_unref (pending->page);
  g_free (pending);
}

/* A tab whose shell still runs: ending it may end what the user started there. */
static gboolean
on_close_page (PaddockConsoleWindow *self,
               AdwTabPage           *page,
               AdwTabView           *view)
{
  PaddockConsole *console = PADDOCK_CONSOLE (adw_tab_page_get_child (page));
  g_autofree char *heading = NULL;
  PendingClose *pending;
  AdwMessageDialog *dialog;

  if (!paddock_console_get_running (console) || self->closing_confirmed)
    {
      paddock_console_disconnect (console);
      adw_tab_view_close_page_finish (view, page, TRUE);
      return GDK_EVENT_STOP;
    }

  /* Translators: %s is a container's name */
  heading = g_strdup_printf (_("Close the Console of %s?"), paddock_console_get_title (console));
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self), heading,
                                                       _("Its session is still open: whatever runs in it gets a "
                                                         "hang-up and ends.")));
  adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"), "close", _("C_lose"), NULL);
  adw_message_dialog_set_response_appearance (dialog, "close", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");
  pending = g_new0 (PendingClose, 1);
  pending->view = g_object_ref (view);
  pending->page = g_object_ref (page);
  g_signal_connect (dialog, "response", G_CALLBACK (on_close_answered), pending);
  gtk_window_present (GTK_WINDOW (dialog));

  return GDK_EVENT_STOP;
}

static void
on_n_pages (PaddockConsoleWindow *self)
{
  if (adw_tab_view_get_n_pages (self->tab_view) == 0)
    gtk_window_destroy (GTK_WINDOW (self));
}

static void
on_window_close_answered (AdwMessageDialog     *dialog,
                          const char           *response,
                          PaddockConsoleWindow *self)
{
  if (!g_str_equal (response, "close"))
    return;

  self->closing_confirmed = TRUE;
  gtk_window_close (GTK_WINDOW (self));
}

static gboolean
paddock_console_window_close_request (GtkWindow *window)
{
  PaddockConsoleWindow *self = PADDOCK_CONSOLE_WINDOW (window);
  guint running = count_running (self);
  g_autofree char *heading = NULL;
  AdwMessageDialog *dialog;

  if (running == 0 || self->closing_confirmed)
    {
      for (int i = 0; i < adw_tab_view_get_n_pages (self->tab_view); i++)
        paddock_console_disconnect (PADDOCK_CONSOLE (adw_tab_page_get_child (adw_tab_view_get_nth_page (self->tab_view,
                                                                                                      i))));
      return GTK_WINDOW_CLASS (paddock_console_window_parent_class)->close_request (window);
    }

  heading = g_strdup_printf (ngettext ("Close %u Open Console?", "Close %u Open Consoles?", running), running);
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (window, heading,
                                                       _("Whatever runs in them gets a hang-up and ends.")));
  adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"), "close", _("C_lose"), NULL);
  adw_message_dialog_set_response_appearance (dialog, "close", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_window_close_answered), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));

  return GDK_EVENT_STOP;
}

static void
paddock_console_window_class_init (PaddockConsoleWindowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  window_class->close_request = paddock_console_window_close_request;

  gtk_widget_class_set_template_from_resource (widget_class, "/app/paddock/Paddock/paddock-console-window.ui");
  gtk_widget_class_bind_template_child (widget_class, PaddockConsoleWindow, tab_view);
  gtk_widget_class_bind_template_child (widget_class, PaddockConsoleWindow, window_title);
}

static void
paddock_console_window_init (PaddockConsoleWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  g_signal_connect_object (self->tab_view, "close-page", G_CALLBACK (on_close_page), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->tab_view, "notify::n-pages", G_CALLBACK (on_n_pages), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->tab_view, "notify::selected-page", G_CALLBACK (update_title), self,
                           G_CONNECT_SWAPPED);
}

PaddockConsoleWindow *
paddock_console_window_get_default (PaddockApplication *application)
{
  PaddockConsoleWindow *self;

  g_return_val_if_fail (PADDOCK_IS_APPLICATION (application), NULL);

  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (application)); l != NULL; l = l->next)
    if (PADDOCK_IS_CONSOLE_WINDOW (l->data))
      return l->data;

  self = g_object_new (PADDOCK_TYPE_CONSOLE_WINDOW, "application", application, NULL);
  return self;
}

PaddockConsole *
paddock_console_window_add (PaddockConsoleWindow *self,
                            PaddockWorkspace     *workspace,
                            PaddockCluster       *cluster,
                            PaddockGuest         *guest)
{
  g_autoptr(GIcon) icon = g_themed_icon_new ("utilities-terminal-symbolic");
  PaddockApplication *application;
  PaddockConsole *console;
  AdwTabPage *page;

  g_return_val_if_fail (PADDOCK_IS_CONSOLE_WINDOW (self), NULL);

  console = PADDOCK_CONSOLE (paddock_console_new ());
  application = PADDOCK_APPLICATION (gtk_window_get_application (GTK_WINDOW (self)));
  if (application != NULL)
    paddock_console_set_settings (console, paddock_application_get_settings (application));
  page = adw_tab_view_append (self->tab_view, GTK_WIDGET (console));
  g_object_bind_property (console, "title", page, "title", G_BINDING_SYNC_CREATE);
  adw_tab_page_set_icon (page, icon);
  paddock_console_set_guest (console, workspace, cluster, guest);
  adw_tab_view_set_selected_page (self->tab_view, page);
  update_title (self);

  return console;
}

AdwTabView *
paddock_console_window_get_tabs (PaddockConsoleWindow *self)
{
  g_return_val_if_fail (PADDOCK_IS_CONSOLE_WINDOW (self), NULL);

  return self->tab_view;
}
