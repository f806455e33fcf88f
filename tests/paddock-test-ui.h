/* SPDX-License-Identifier: GPL-3.0-or-later */
/* paddock-test-ui.h: what the UI tests share: running the main loop until something holds,
 * finding widgets, selecting containers and saving screenshots */

#pragma once

#include <adwaita.h>
#include <string.h>

#include "paddock-application.h"
#include "paddock-test-lab.h"
#include "paddock-test-util.h"
#include "paddock-window.h"

G_BEGIN_DECLS

static inline void
iterate_until_idle (void)
{
  /* Let GTK map, lay out and draw; bounded so a busy source cannot hang the test. */
  for (guint i = 0; i < 200 && g_main_context_pending (NULL); i++)
    g_main_context_iteration (NULL, FALSE);
}

typedef gboolean (*Condition) (gpointer data);

/* Runs the main loop until @condition holds (at most @seconds). */
static inline gboolean
iterate_until (Condition condition,
               gpointer  data,
               guint     seconds)
{
  gint64 deadline = g_get_monotonic_time () + seconds * G_USEC_PER_SEC;

  while (!condition (data))
    {
      if (g_get_monotonic_time () > deadline)
        return FALSE;
      g_main_context_iteration (NULL, FALSE);
      g_usleep (2000);
    }

  return TRUE;
}

static inline GtkWindow *
find_toplevel_of_type (GType type)
{
  g_autoptr(GListModel) toplevels = g_object_ref (gtk_window_get_toplevels ());

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (window, type) && gtk_widget_get_visible (GTK_WIDGET (window)))
        return window;
    }

  return NULL;
}

static inline void
close_toplevel_of_type (GType type)
{
  GtkWindow *window = find_toplevel_of_type (type);

  g_assert_nonnull (window);
  gtk_window_destroy (window);
  iterate_until_idle ();
  g_assert_null (find_toplevel_of_type (type));
}

static inline GtkWidget *
find_named (GtkWidget  *widget,
            const char *name)
{
  if (g_strcmp0 (gtk_widget_get_name (widget), name) == 0)
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_named (child, name);

      if (found != NULL)
        return found;
    }

  return NULL;
}

static inline GtkWidget *
find_label (GtkWidget  *widget,
            const char *text)
{
  if (GTK_IS_LABEL (widget) && g_strcmp0 (gtk_label_get_text (GTK_LABEL (widget)), text) == 0)
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_label (child, text);

      if (found != NULL)
        return found;
    }

  return NULL;
}

static inline GtkWidget *
find_of_type (GtkWidget *widget,
              GType      type)
{
  if (g_type_is_a (G_OBJECT_TYPE (widget), type))
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_of_type (child, type);

      if (found != NULL)
        return found;
    }

  return NULL;
}

/* Widget actions cannot be queried; a button bound to one is insensitive while it is disabled. */
static inline GtkWidget *
find_actionable (GtkWidget  *widget,
                 const char *name)
{
  if (GTK_IS_ACTIONABLE (widget) && g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)), name) == 0)
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_actionable (child, name);

      if (found != NULL)
        return found;
    }

  return NULL;
}

static inline void
select_guest (PaddockWindow *window,
              guint          vmid,
              gboolean       unselect_rest)
{
  GListModel *selection = G_LIST_MODEL (gtk_widget_get_template_child (GTK_WIDGET (window), PADDOCK_TYPE_WINDOW,
                                                                      "selection"));

  for (guint i = 0; i < g_list_model_get_n_items (selection); i++)
    {
      g_autoptr(PaddockGuest) guest = g_list_model_get_item (selection, i);

      if (paddock_guest_get_vmid (guest) == vmid)
        {
          gtk_selection_model_select_item (GTK_SELECTION_MODEL (selection), i, unselect_rest);
          iterate_until_idle ();
          return;
        }
    }

  g_error ("CT %u is not in the list", vmid);
}

static inline PaddockWindow *
open_window (PaddockApplication *app)
{
  g_application_activate (G_APPLICATION (app));
  iterate_until_idle ();

  return PADDOCK_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (app)));
}

static inline void
close_app (PaddockApplication *app)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));

  gtk_window_destroy (window);
  iterate_until_idle ();
}

/* TRUE when @widget shows text of its own (a button's label, a view switcher's page title). */
static inline gboolean
has_visible_text (GtkWidget *widget)
{
  if (GTK_IS_LABEL (widget) && gtk_widget_get_visible (widget) && *gtk_label_get_text (GTK_LABEL (widget)) != '\0')
    return TRUE;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    if (has_visible_text (child))
      return TRUE;

  return FALSE;
}

/* Walks what is shown under @widget and returns the first control a screen reader would announce
 * without a name (a button, toggle, menu button, drop-down, level bar, switch, spin button or
 * search field with neither text nor an accessible label), or NULL. The insides of composite
 * widgets (a drop-down's button, a search field's text) are theirs to name. */
static inline GtkWidget *
find_unnamed_control (GtkWidget *widget)
{
  gboolean control = GTK_IS_BUTTON (widget) || GTK_IS_MENU_BUTTON (widget) || GTK_IS_DROP_DOWN (widget) ||
                     GTK_IS_LEVEL_BAR (widget) || GTK_IS_SWITCH (widget) || GTK_IS_SPIN_BUTTON (widget) ||
                     GTK_IS_SEARCH_ENTRY (widget);
  gboolean composite = GTK_IS_MENU_BUTTON (widget) || GTK_IS_DROP_DOWN (widget) || GTK_IS_SPIN_BUTTON (widget) ||
                       GTK_IS_SEARCH_ENTRY (widget) || GTK_IS_WINDOW_CONTROLS (widget) || GTK_IS_COLUMN_VIEW (widget);

  if (!gtk_widget_get_mapped (widget))
    return NULL;

  if (control &&
      !gtk_test_accessible_has_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL) &&
      !gtk_test_accessible_has_relation (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_RELATION_LABELLED_BY) &&
      !(GTK_IS_BUTTON (widget) && has_visible_text (widget)))
    return widget;

  if (composite)
    return NULL;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_unnamed_control (child);

      if (found != NULL)
        return found;
    }

  return NULL;
}

static inline void
assert_controls_named (GtkWidget *root)
{
  GtkWidget *unnamed = find_unnamed_control (root);

  if (unnamed != NULL)
    g_error ("a %s without a name for screen readers (tooltip “%s”, inside a %s)", G_OBJECT_TYPE_NAME (unnamed),
             gtk_widget_get_tooltip_text (unnamed) ? gtk_widget_get_tooltip_text (unnamed) : "none",
             G_OBJECT_TYPE_NAME (gtk_widget_get_parent (unnamed)));
}

/* Saves what the window shows as a PNG under test-artifacts/ (for people reviewing the UI). */
static inline void
save_screenshot (GtkWidget  *widget,
                 const char *name)
{
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  int width;
  int height;
  gint64 until = g_get_monotonic_time () + 400 * 1000;

  /* A window being resized or laid out draws nothing: give it a few frames. */
  while (g_get_monotonic_time () < until)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (2000);
    }

  width = gtk_widget_get_width (widget);
  height = gtk_widget_get_height (widget);
  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  g_test_message ("snapshot of %s: %dx%d, %s", name, width, height, node ? "drawn" : "nothing drawn");
  if (node == NULL)
    return;

  texture = gsk_renderer_render_texture (gtk_native_get_renderer (gtk_widget_get_native (widget)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  dir = g_build_filename (g_getenv ("PADDOCK_SOURCE_ROOT") ? g_getenv ("PADDOCK_SOURCE_ROOT") : ".",
                          "test-artifacts", NULL);
  g_mkdir_with_parents (dir, 0755);
  path = g_build_filename (dir, name, NULL);
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("screenshot: %s", path);
}

static inline gboolean
message_dialog_shown (gpointer data)
{
  return find_toplevel_of_type (ADW_TYPE_MESSAGE_DIALOG) != NULL;
}

static inline AdwMessageDialog *
wait_for_message_dialog (void)
{
  g_assert_true (iterate_until (message_dialog_shown, NULL, 10));
  return ADW_MESSAGE_DIALOG (find_toplevel_of_type (ADW_TYPE_MESSAGE_DIALOG));
}

/* Answers @dialog as a click on @response would, and closes it. */
static inline void
respond (AdwMessageDialog *dialog,
         const char       *response)
{
  adw_message_dialog_response (dialog, response);
  iterate_until_idle ();
  gtk_window_destroy (GTK_WINDOW (dialog));
  iterate_until_idle ();
}

typedef struct
{
  PaddockWindow *window;
  guint          n_items;
} Wanted;

static inline GListModel *
filtered_guests (PaddockWindow *window)
{
  return G_LIST_MODEL (gtk_widget_get_template_child (GTK_WIDGET (window), PADDOCK_TYPE_WINDOW, "filter_model"));
}

static inline gboolean
has_items (gpointer data)
{
  Wanted *wanted = data;

  return g_list_model_get_n_items (filtered_guests (wanted->window)) == wanted->n_items;
}

/* A data directory for the app with the lab's connection, the SSH settings of its three nodes and
 * the node's host key trusted. Returns the connection's id. */
static inline gint64
paddock_test_ui_prepare_lab_data (const char *data_dir)
{
  g_autofree char *db = g_build_filename (data_dir, "paddock.db", NULL);
  g_autofree char *known_hosts = g_build_filename (data_dir, "known_hosts", NULL);
  g_autofree char *pub_path = g_build_filename (paddock_test_lab_get ("LAB_STATE"), "ssh_host_ed25519_key.pub", NULL);
  g_autofree char *pub = NULL;
  g_autofree char *line = NULL;
  g_autoptr(PaddockStore) store = NULL;
  g_autoptr(PaddockConnection) connection = NULL;
  g_autoptr(GAsyncResult) added = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) parts = NULL;
  g_autoptr(GUri) uri = g_uri_parse (paddock_test_lab_get ("PVE_URL"), G_URI_FLAGS_NONE, NULL);
  const char *token = paddock_test_lab_get ("PVE_TOKEN");
  g_autofree char *token_id = g_strndup (token, strrchr (token, '=') - token);
  g_auto(GStrv) token_parts = g_strsplit (token_id, "!", 2);

  store = paddock_store_new (db, NULL, &error);
  g_assert_no_error (error);
  connection = paddock_connection_new ("Lab", g_uri_get_host (uri), g_uri_get_port (uri), PADDOCK_AUTH_TOKEN,
                                       token_parts[0], token_parts[1]);
  paddock_store_add_connection_async (store, connection, NULL, paddock_test_store_result, &added);
  g_assert_true (paddock_store_add_connection_finish (store, paddock_test_wait (&added), &error));

  for (guint n = 1; n <= 3; n++)
    {
      g_autofree char *node = g_strdup_printf ("pve%u", n);
      g_autoptr(PaddockNodeSsh) ssh = paddock_node_ssh_new (paddock_connection_get_id (connection), node);
      g_autoptr(GAsyncResult) saved = NULL;
      guint64 port = 0;

      g_ascii_string_to_unsigned (paddock_test_lab_get ("SSH_PORT"), 10, 1, 65535, &port, NULL);
      ssh->address = g_strdup (paddock_test_lab_get ("SSH_HOST"));
      ssh->port = port;
      g_free (ssh->user);
      ssh->user = g_strdup (paddock_test_lab_get ("SSH_USER"));
      ssh->auth = PADDOCK_SSH_AUTH_KEY;
      ssh->key_path = g_strdup (paddock_test_lab_get ("SSH_KEY"));
      paddock_store_set_node_ssh_async (store, ssh, NULL, paddock_test_store_result, &saved);
      g_assert_true (paddock_store_set_node_ssh_finish (store, paddock_test_wait (&saved), &error));
    }

  g_assert_true (g_file_get_contents (pub_path, &pub, NULL, NULL));
  parts = g_strsplit (pub, " ", 3);
  line = g_strdup_printf ("[%s]:%s %s %s\n", paddock_test_lab_get ("SSH_HOST"), paddock_test_lab_get ("SSH_PORT"),
                          parts[0], parts[1]);
  g_assert_true (g_file_set_contents (known_hosts, line, -1, NULL));

  return paddock_connection_get_id (connection);
}

/* The application on @data_dir, connected to the lab (its secrets from PADDOCK_* variables, as
 * "paddock --connect" takes them), with its window open at a size screenshots are read at. */
static inline PaddockApplication *
paddock_test_ui_start_app (const char     *application_id,
                           const char     *data_dir,
                           PaddockWindow **window)
{
  const char *token = paddock_test_lab_get ("PVE_TOKEN");
  g_autofree char *token_id = g_strndup (token, strrchr (token, '=') - token);
  g_autoptr(GError) error = NULL;
  PaddockApplication *app;

  g_setenv ("PADDOCK_TOKEN_ID", token_id, TRUE);
  g_setenv ("PADDOCK_TOKEN_SECRET", strrchr (token, '=') + 1, TRUE);
  g_setenv ("PADDOCK_FINGERPRINT", paddock_test_lab_get ("PVE_FINGERPRINT"), TRUE);

  app = paddock_application_new (application_id, G_APPLICATION_NON_UNIQUE);
  paddock_application_set_data_dir (app, data_dir);
  paddock_application_set_connect_url (app, paddock_test_lab_get ("PVE_URL"));
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);
  *window = open_window (app);
  gtk_window_set_default_size (GTK_WINDOW (*window), 1280, 860);

  return app;
}

G_END_DECLS
