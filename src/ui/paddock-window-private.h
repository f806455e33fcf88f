/* SPDX-License-Identifier: GPL-3.0-or-later */
/* paddock-window-private.h: what the parts of the main window share (paddock-window.c: the
 * container list, the sidebar and the detail; paddock-window-jobs.c: provisioning jobs) */

#pragma once

#include "paddock-address-index.h"
#include "paddock-buckets-page.h"
#include "paddock-guest-page.h"
#include "paddock-job-page.h"
#include "paddock-jobs-page.h"
#include "paddock-template-page.h"
#include "paddock-templates-page.h"
#include "paddock-operation-controller.h"
#include "paddock-window.h"

G_BEGIN_DECLS

struct _PaddockWindow
{
  AdwApplicationWindow  parent_instance;

  PaddockSettings      *settings;
  PaddockWorkspace     *workspace;
  PaddockProvisioner   *provisioner;
  GCancellable         *cancellable;
  GtkCustomFilter      *search_filter;
  char                 *search_text;
  guint                 tick_id;
  gint64                last_refresh;       /* monotonic µs of the last refresh round */
  guint                 refreshes_running;
  PaddockOperationController *operations;
  PaddockAddressIndex  *addresses;
  /* "connection:vmid" → the name of the Paddock template it was made from */
  GHashTable           *origins;
  /* "connection:vmid" → the unix time Paddock created it (gint64) */
  GHashTable           *created;
  GHashTable           *template_cells;     /* GtkListItem bound in the Template column */
  char                 *status_choice;      /* NULL (any), "running", "stopped" or "other" */
  char                 *node_choice;
  char                 *tag_choice;
  guint                 choices_idle;
  guint                 sidebar_source;
  gint64                scope_connection;   /* the sidebar's choice: 0 for every connection */
  char                 *scope_node;         /* and within it one node, or NULL */
  char                 *sidebar_signature;  /* what the sidebar shows, to rebuild only on change */
  /* per cluster its sorted nodes, from the filter choices' pass */
  GPtrArray            *node_lists;
  guint                 updating_sidebar : 1;
  guint                 trim_pending : 1;
  guint                 updating_choices : 1;
  guint                 refresh_again : 1;

  /* Template widgets */
  AdwLeaflet           *leaflet;
  GtkRevealer          *banner_revealer;
  GtkLabel             *banner_label;
  GtkBox               *banner_box;
  GtkButton            *stop_selected_button;
  GtkButton            *reboot_selected_button;
  GtkButton            *shutdown_selected_button;
  GtkButton            *start_selected_button;
  GtkButton            *open_selected_button;
  GtkColumnView        *column_view;
  GtkColumnViewColumn  *connection_column;
  GtkColumnViewColumn  *cpu_column;
  GtkColumnViewColumn  *lock_column;
  GtkColumnViewColumn  *memory_column;
  GtkColumnViewColumn  *node_column;
  GtkColumnViewColumn  *status_column;
  GtkColumnViewColumn  *tags_column;
  GtkColumnViewColumn  *template_column;
  GtkColumnViewColumn  *uptime_column;
  GtkColumnViewColumn  *vmid_column;
  PaddockGuestPage     *guest_page;
  PaddockJobsPage      *jobs_page;
  PaddockJobPage       *job_page;
  PaddockTemplatesPage *templates_page;
  PaddockTemplatePage  *template_page;
  PaddockBucketsPage   *buckets_page;
  gboolean              close_after_template;
  GtkWidget            *list_view;
  GtkStringList        *node_choices;
  GtkDropDown          *node_filter;
  GtkActionBar         *selection_bar;
  GtkLabel             *selection_label;
  GtkWidget            *address_lookup_box;
  GtkLabel             *address_lookup_label;
  AdwStatusPage        *no_match_page;
  GtkWidget            *look_inside_button;
  PaddockServiceQuery  *services_query;
  GtkMultiSelection    *selection;
  GtkDropDown          *status_filter;
  GtkStringList        *tag_choices;
  GtkDropDown          *tag_filter;
  GtkListBox           *connections_list;
  GtkWidget            *content;
  GtkStack             *content_stack;
  AdwWindowTitle       *content_title;
  AdwStatusPage        *error_page;
  GtkFilterListModel   *filter_model;
  GtkFlattenListModel  *flatten_model;
  GtkColumnViewColumn  *name_column;
  guint                 columns_source;     /* fits the columns to the width, after a resize */
  guint                 show_connection : 1;
  guint                 list_focused_once : 1;
  guint                 first_screen_done : 1;
  GtkSliceListModel    *first_screen;
  guint                 more_rows_source;
  GtkStack             *refresh_stack;
  GtkSearchBar         *search_bar;
  GtkSearchEntry       *search_entry;
  GtkWidget            *sidebar;
  AdwToastOverlay      *toast_overlay;
  GtkLabel             *updated_label;
  GtkWidget            *update_secret_button;
};

/* paddock-window.c */
GtkWidget *_paddock_window_add_sidebar_row          (PaddockWindow      *self,
                                                     const char         *icon_name,
                                                     const char         *title,
                                                     const char         *subtitle,
                                                     gint64              connection_id,
                                                     const char         *node);
GPtrArray *_paddock_window_dup_targets              (PaddockWindow      *self);
PaddockCluster *_paddock_window_cluster_needing_secret (PaddockWindow *self);
void       _paddock_window_show_content_page        (PaddockWindow      *self,
                                                     GtkWidget          *page);
void       _paddock_window_show_guest               (PaddockWindow      *self,
                                                     PaddockGuest       *guest);
void       _paddock_window_refresh_all              (PaddockWindow      *self);
/* Rebuilds the sidebar when what it shows changed (its signature: clusters, nodes, searches). */
void       _paddock_window_rebuild_sidebar          (PaddockWindow      *self);

gboolean   _paddock_window_showing_jobs             (PaddockWindow      *self);
void       _paddock_window_on_filter_changed        (PaddockWindow      *self);

void       _paddock_window_update_view              (PaddockWindow      *self);
void       _paddock_window_update_actions           (PaddockWindow      *self);
void       _paddock_window_update_filter_choices    (PaddockWindow      *self);
void       _paddock_window_load_origins             (PaddockWindow      *self);
gboolean   _paddock_window_on_tick                  (gpointer            user_data);
GPtrArray *_paddock_window_collect_nodes            (PaddockCluster     *cluster,
                                                     GHashTable         *tag_strings);

/* paddock-window-sidebar.c */
void       _paddock_window_on_clusters_changed      (PaddockWindow      *self,
                                                     guint               position,
                                                     guint               removed,
                                                     guint               added,
                                                     GListModel         *clusters);
void       _paddock_window_on_sidebar_row_selected  (PaddockWindow      *self,
                                                     GtkListBoxRow      *row);

/* paddock-window-searches.c */
void       _paddock_window_apply_saved_search       (PaddockWindow      *self,
                                                     GVariant           *search);
void       _paddock_window_add_saved_search_rows    (PaddockWindow      *self);
void       _paddock_window_on_saved_searches_changed (PaddockWindow     *self);
void       _paddock_window_look_inside_action       (GtkWidget          *widget,
                                                     const char         *action_name,
                                                     GVariant           *parameter);
void       _paddock_window_save_search_action       (GtkWidget          *widget,
                                                     const char         *action_name,
                                                     GVariant           *parameter);
void       _paddock_window_forget_search_action     (GtkWidget          *widget,
                                                     const char         *action_name,
                                                     GVariant           *parameter);

/* paddock-window-columns.c */
/* paddock-window-filters.c */
void       _paddock_window_filters_class_init       (GtkWidgetClass     *widget_class);
void       _paddock_window_filters_init             (PaddockWindow      *self);
gboolean   _paddock_window_in_scope                 (PaddockWindow      *self,
                                                     PaddockGuest       *guest);
void       _paddock_window_on_services_query_changed (PaddockWindow     *self);

/* paddock-window-actions.c */
void       _paddock_window_actions_class_init       (GtkWidgetClass     *widget_class);
void       _paddock_window_actions_init             (PaddockWindow      *self);

void       _paddock_window_set_up_columns           (PaddockWindow      *self);
void       _paddock_window_show_origins             (PaddockWindow      *self);
void       _paddock_window_fit_columns              (PaddockWindow      *self);
void       _paddock_window_schedule_fit_columns     (PaddockWindow      *self);
void       _paddock_window_size_first_screen        (PaddockWindow      *self);
void       _paddock_window_show_all_rows_after_first_frame (PaddockWindow *self);

/* paddock-window-jobs.c */
void       _paddock_window_jobs_class_init          (GtkWidgetClass     *widget_class);
void       _paddock_window_jobs_init                (PaddockWindow      *self);
void       _paddock_window_jobs_dispose             (PaddockWindow      *self);
void       _paddock_window_jobs_set_provisioner     (PaddockWindow      *self,
                                                     PaddockProvisioner *provisioner);
/* The sidebar's "Jobs" row, added when the sidebar is rebuilt. */
GtkWidget *_paddock_window_jobs_add_sidebar_row     (PaddockWindow      *self);
gboolean   _paddock_window_jobs_is_sidebar_row      (GtkListBoxRow      *row);
void       _paddock_window_jobs_show                (PaddockWindow      *self);
/* The list's containers that jobs are making show their progress ("creating 35 %"). */
void       _paddock_window_jobs_sync_guests         (PaddockWindow      *self);
void       _paddock_window_jobs_show_job            (PaddockWindow      *self,
                                                     PaddockJob         *job);

/* paddock-window-templates.c */
void       _paddock_window_templates_class_init     (GtkWidgetClass     *widget_class);
void       _paddock_window_templates_init           (PaddockWindow      *self);
GtkWidget *_paddock_window_templates_add_sidebar_row (PaddockWindow     *self);
gboolean   _paddock_window_templates_is_sidebar_row (GtkListBoxRow      *row);
void       _paddock_window_templates_show           (PaddockWindow      *self);
gboolean   _paddock_window_templates_confirm_close  (PaddockWindow      *self);

G_END_DECLS
