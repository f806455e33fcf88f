/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-provision-ui.c: New Container and the jobs under Xvfb, against the lab's real containers:
 * the wizard from the empty jobs page to a container whose nginx answers, its checks, the OS
 * template download, a failed job retried from its page, and the notification of a job's end */

#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "paddock-application.h"
#include "paddock-create-wizard.h"
#include "paddock-job-page.h"
#include "paddock-test-lab.h"
#include "paddock-test-notifications.h"
#include "paddock-test-ui.h"
#include "paddock-test-util.h"
#include "paddock-window.h"

#define LIGHT TEST_DATA_DIR "/provision/light"

static PaddockApplication *app;
static PaddockWindow *window;
static PaddockProvisioner *provisioner;
static PaddockTestNotifications notifications;


/* ------------------------------------------------------------------------------------------- */
/* Helpers                                                                                     */

static PaddockCreateWizard *
open_wizard (void)
{
  PaddockCreateWizard *wizard;

  gtk_widget_activate_action (GTK_WIDGET (window), "win.new-container", NULL);
  iterate_until_idle ();
  wizard = PADDOCK_CREATE_WIZARD (find_toplevel_of_type (PADDOCK_TYPE_CREATE_WIZARD));
  g_assert_nonnull (wizard);
  return wizard;
}

static GtkWidget *
wizard_child (PaddockCreateWizard *wizard,
              const char          *name)
{
  return GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (wizard), PADDOCK_TYPE_CREATE_WIZARD, name));
}

static gboolean
wizard_ready (gpointer data)
{
  return paddock_create_wizard_get_problem (data) == NULL;
}

typedef struct
{
  PaddockCreateWizard *wizard;
  const char          *needle;
} WizardProblem;

static gboolean
wizard_problem_mentions (gpointer data)
{
  WizardProblem *wanted = data;
  const char *problem = paddock_create_wizard_get_problem (wanted->wizard);

  return problem != NULL && strstr (problem, wanted->needle) != NULL;
}

static void
wait_ready (PaddockCreateWizard *wizard,
            guint                seconds)
{
  if (!iterate_until (wizard_ready, wizard, seconds))
    g_error ("the wizard still says “%s”", paddock_create_wizard_get_problem (wizard));
}

static void
assert_problem (PaddockCreateWizard *wizard,
                const char          *needle)
{
  WizardProblem wanted = { wizard, needle };

  if (!iterate_until (wizard_problem_mentions, &wanted, 20))
    g_error ("the wizard says “%s”, not something with “%s”", paddock_create_wizard_get_problem (wizard), needle);
  /* Next is refused, and says why. */
  g_assert_false (gtk_widget_get_sensitive (wizard_child (wizard, "next_button")));
}

static GtkWidget *
find_switch (GtkWidget *widget)
{
  if (GTK_IS_SWITCH (widget))
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_switch (child);

      if (found != NULL)
        return found;
    }

  return NULL;
}

static void
choose_template (PaddockCreateWizard *wizard,
                 const char          *name)
{
  GtkWidget *row;
  GtkCheckButton *check;

  wait_ready (wizard, 20);
  row = find_named (wizard_child (wizard, "template_list"), name);
  g_assert_nonnull (row);
  check = g_object_get_data (G_OBJECT (row), "check");
  gtk_check_button_set_active (check, TRUE);
  iterate_until_idle ();
}

static void
next (PaddockCreateWizard *wizard)
{
  guint step = paddock_create_wizard_get_step (wizard);

  if (!iterate_until (wizard_ready, wizard, 30))
    g_error ("step %u refuses Next: %s", step, paddock_create_wizard_get_problem (wizard));
  gtk_widget_activate_action (GTK_WIDGET (wizard), "wizard.next", NULL);
  iterate_until_idle ();
  g_assert_cmpuint (paddock_create_wizard_get_step (wizard), ==, step + 1);
}

static void
set_text (PaddockCreateWizard *wizard,
          const char          *row,
          const char          *text)
{
  gtk_editable_set_text (GTK_EDITABLE (wizard_child (wizard, row)), text);
  iterate_until_idle ();
}

static void
run_for_seconds (guint seconds)
{
  gint64 until = g_get_monotonic_time () + seconds * G_USEC_PER_SEC;

  while (g_get_monotonic_time () < until)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (2000);
    }
}

static PaddockCluster *
lab_cluster (void)
{
  GListModel *clusters = paddock_workspace_get_clusters (paddock_provisioner_get_workspace (provisioner));
  g_autoptr(PaddockCluster) cluster = g_list_model_get_item (clusters, 0);

  return cluster;  /* the workspace keeps it */
}

static gboolean
job_finished (gpointer data)
{
  return paddock_job_is_finished (data);
}

static PaddockGuest *
guest_of (PaddockJob *job)
{
  return paddock_cluster_lookup (lab_cluster (), paddock_job_get_vmid (job));
}

static gboolean
guest_being_made (gpointer data)
{
  PaddockGuest *guest = guest_of (data);

  return guest != NULL && paddock_guest_get_provisioning (guest) >= 0;
}

static gboolean
widget_visible (gpointer data)
{
  return gtk_widget_get_visible (data);
}

static PaddockJobPage *
job_page (void)
{
  return PADDOCK_JOB_PAGE (gtk_widget_get_template_child (GTK_WIDGET (window), PADDOCK_TYPE_WINDOW, "job_page"));
}

static guint
count_output (const char *needle)
{
  GListModel *lines = paddock_job_page_get_output (job_page ());
  guint count = 0;

  for (guint i = 0; i < g_list_model_get_n_items (lines); i++)
    {
      g_autoptr(GtkStringObject) line = g_list_model_get_item (lines, i);

      count += strstr (gtk_string_object_get_string (line), needle) != NULL;
    }

  return count;
}

typedef struct
{
  const char *needle;
  guint       count;
} OutputWanted;

static gboolean
output_has (gpointer data)
{
  OutputWanted *wanted = data;

  return count_output (wanted->needle) >= wanted->count;
}

/* Stopped and deleted through the API: the window's own actions are tested elsewhere. */
static void
delete_container (guint vmid)
{
  PaddockPveClient *client = paddock_cluster_get_client (lab_cluster ());
  g_autoptr(GAsyncResult) stopped = NULL;
  g_autoptr(GAsyncResult) deleted = NULL;

  paddock_pve_client_guest_action_async (client, "pve1", vmid, PADDOCK_GUEST_ACTION_STOP, 0, NULL,
                                         PADDOCK_TEST_ASYNC (stopped));
  g_free (paddock_pve_client_guest_action_finish (client, paddock_test_wait (&stopped), NULL));
  run_for_seconds (2);
  paddock_pve_client_delete_guest_async (client, "pve1", vmid, TRUE, TRUE, NULL, PADDOCK_TEST_ASYNC (deleted));
  g_free (paddock_pve_client_delete_guest_finish (client, paddock_test_wait (&deleted), NULL));
}

/* ------------------------------------------------------------------------------------------- */
/* Tests                                                                                       */

/* From the empty jobs page through every step to a running container whose nginx answers. */
static void
test_wizard_end_to_end (void)
{
  PaddockCreateWizard *wizard;
  g_autoptr(PaddockJobPlan) plan = NULL;
  PaddockJob *job;
  GtkWidget *jobs_page;
  g_autofree char *page = NULL;
  g_autofree char *params = NULL;

  if (!paddock_test_real_containers_required ())
    return;

  /* No jobs yet: the jobs page says how to start one. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.show-jobs", NULL);
  iterate_until_idle ();
  jobs_page = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (window), PADDOCK_TYPE_WINDOW, "jobs_page"));
  g_assert_true (gtk_widget_get_mapped (jobs_page));
  g_assert_nonnull (find_label (jobs_page, "No Jobs"));
  save_screenshot (GTK_WIDGET (window), "provision-jobs-empty.png");

  wizard = open_wizard ();
  choose_template (wizard, "light");
  save_screenshot (GTK_WIDGET (wizard), "provision-wizard-1-template.png");
  next (wizard);

  /* Configure: the template's values, the cluster's next VMID, the node's OS template. */
  wait_ready (wizard, 30);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (wizard_child (wizard, "hostname_row"))), ==, "light");
  g_assert_cmpint (gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (wizard_child (wizard, "memory_spin"))), ==, 256);
  set_text (wizard, "hostname_row", "ui-web");
  wait_ready (wizard, 30);
  save_screenshot (GTK_WIDGET (wizard), "provision-wizard-2-configure.png");
  next (wizard);
  g_assert_nonnull (find_named (wizard_child (wizard, "packages_group"), "apt"));
  save_screenshot (GTK_WIDGET (wizard), "provision-wizard-3-packages.png");
  next (wizard);
  g_assert_nonnull (find_named (wizard_child (wizard, "scripts_list"), "credential"));
  save_screenshot (GTK_WIDGET (wizard), "provision-wizard-4-scripts.png");
  next (wizard);

  /* Review: everything sent, the password masked. */
  params = g_strdup (gtk_label_get_text (GTK_LABEL (wizard_child (wizard, "params_label"))));
  g_assert_nonnull (strstr (params, "hostname=ui-web"));
  g_assert_nonnull (strstr (params, "password=••••••••"));
  g_assert_nonnull (strstr (params, "ostemplate=local:vztmpl/debian-12-standard"));
  plan = paddock_create_wizard_dup_plan (wizard);
  g_assert_true (paddock_job_plan_validate (plan, NULL));
  save_screenshot (GTK_WIDGET (wizard), "provision-wizard-5-review.png");

  g_object_add_weak_pointer (G_OBJECT (wizard), (gpointer *) &wizard);
  gtk_widget_activate_action (GTK_WIDGET (wizard), "wizard.create", NULL);
  {
    gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

    while (wizard != NULL && g_get_monotonic_time () < deadline)
      g_main_context_iteration (NULL, FALSE);
  }
  g_assert_null (wizard);

  /* The job's page shows it as it goes. */
  job = paddock_job_page_get_job (job_page ());
  g_assert_nonnull (job);
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (job_page ())));
  {
    OutputWanted wanted = { "Installing: jq nginx", 1 };

    g_assert_true (iterate_until (output_has, &wanted, 120));
    save_screenshot (GTK_WIDGET (window), "provision-job-running.png");
  }
  /* In the container list, the new container says it is being made, and how far (the list is
   * refreshed now: an unfocused window refreshes every 30 s only). */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.refresh", NULL);
  g_assert_true (iterate_until (guest_being_made, job, 15));
  g_assert_true (iterate_until (job_finished, job, 240));
  g_assert_cmpint (paddock_job_get_state (job), ==, PADDOCK_JOB_SUCCEEDED);
  g_assert_cmpint (paddock_guest_get_provisioning (guest_of (job)), ==, -1);
  save_screenshot (GTK_WIDGET (window), "provision-job-done.png");
  page = paddock_test_http_get (paddock_job_get_address (job));
  g_assert_nonnull (strstr (page, "nginx"));

  /* Reopened, the job's output is there once. */
  {
    OutputWanted wanted = { "token saved", 1 };

    g_assert_true (iterate_until (output_has, &wanted, 10));
    paddock_job_page_set_job (job_page (), NULL, NULL, NULL);
    paddock_window_show_job (window, paddock_job_get_id (job));
    g_assert_true (iterate_until (output_has, &wanted, 10));
    run_for_seconds (1);
    g_assert_cmpuint (count_output ("token saved"), ==, 1);
    g_assert_cmpuint (count_output ("Installing: jq nginx"), ==, 1);
  }

  delete_container (paddock_job_get_vmid (job));
}

/* Back keeps every value; each wrong input says why and blocks Next. */
static void
test_wizard_checks (void)
{
  PaddockCreateWizard *wizard;

  if (!paddock_test_real_containers_required ())
    return;

  wizard = open_wizard ();
  choose_template (wizard, "light");
  next (wizard);
  wait_ready (wizard, 30);

  set_text (wizard, "hostname_row", "keep-me");
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (wizard_child (wizard, "cores_spin")), 3);
  next (wizard);
  gtk_widget_activate_action (GTK_WIDGET (wizard), "wizard.back", NULL);
  gtk_widget_activate_action (GTK_WIDGET (wizard), "wizard.back", NULL);
  iterate_until_idle ();
  g_assert_cmpuint (paddock_create_wizard_get_step (wizard), ==, 0);
  next (wizard);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (wizard_child (wizard, "hostname_row"))), ==, "keep-me");
  g_assert_cmpint (gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (wizard_child (wizard, "cores_spin"))), ==, 3);

  set_text (wizard, "hostname_row", "not_a_name");
  assert_problem (wizard, "not a hostname");
  g_assert_true (gtk_widget_has_css_class (wizard_child (wizard, "hostname_row"), "error"));
  save_screenshot (GTK_WIDGET (wizard), "provision-wizard-bad-hostname.png");
  set_text (wizard, "hostname_row", "fine");
  wait_ready (wizard, 20);

  /* A VMID the cluster has (the demo's 100). */
  set_text (wizard, "vmid_row", "100");
  assert_problem (wizard, "In use");
  set_text (wizard, "vmid_row", "99");
  assert_problem (wizard, "from 100");
  set_text (wizard, "vmid_row", "4242");
  wait_ready (wizard, 20);

  adw_combo_row_set_selected (ADW_COMBO_ROW (wizard_child (wizard, "ipv4_mode_row")), 1);
  iterate_until_idle ();
  set_text (wizard, "ipv4_row", "10.0.0.5");
  assert_problem (wizard, "prefix length");
  set_text (wizard, "ipv4_row", "10.0.0.5/24");
  set_text (wizard, "gateway_row", "10.9.9.1");
  assert_problem (wizard, "is not in the network of 10.0.0.5/24");
  save_screenshot (GTK_WIDGET (wizard), "provision-wizard-bad-gateway.png");
  set_text (wizard, "gateway_row", "10.0.0.1");
  wait_ready (wizard, 20);

  /* In the dark, as many use it. */
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_FORCE_DARK);
  save_screenshot (GTK_WIDGET (wizard), "provision-wizard-2-configure-dark.png");
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_DEFAULT);

  gtk_window_destroy (GTK_WINDOW (wizard));
  iterate_until_idle ();
}

/* The order shown is the order run: a script moved down runs later; one turned off does not run. */
static void
test_wizard_scripts_order (void)
{
  g_autoptr(PaddockTemplate) template = paddock_template_new ("three-scripts");
  g_autoptr(PaddockJobPlan) plan = NULL;
  g_autoptr(GPtrArray) run = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  PaddockStore *store = paddock_workspace_get_store (paddock_provisioner_get_workspace (provisioner));
  PaddockCreateWizard *wizard;
  const char *names[] = { "first", "second", "third" };
  GtkWidget *row, *toggle;

  if (!paddock_test_real_containers_required ())
    return;

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autoptr(PaddockTemplateScript) script = paddock_template_script_new ((i + 1) * 10, names[i], "true\n");

      paddock_template_add_script (template, script);
    }
  paddock_store_save_template_async (store, template, NULL, PADDOCK_TEST_ASYNC (result));
  g_assert_cmpint (paddock_store_save_template_finish (store, paddock_test_wait (&result), &error), >, 0);

  wizard = open_wizard ();
  choose_template (wizard, "three-scripts");
  next (wizard);
  next (wizard);
  next (wizard);
  g_assert_cmpuint (paddock_create_wizard_get_step (wizard), ==, 3);

  /* "first" one place down (its row's down arrow), then "third" turned off. */
  row = find_named (wizard_child (wizard, "scripts_list"), "first");
  gtk_widget_activate (g_object_get_data (G_OBJECT (row), "down"));
  iterate_until_idle ();
  row = find_named (wizard_child (wizard, "scripts_list"), "third");
  toggle = find_switch (row);
  g_assert_nonnull (toggle);
  gtk_switch_set_active (GTK_SWITCH (toggle), FALSE);
  iterate_until_idle ();
  save_screenshot (GTK_WIDGET (wizard), "provision-wizard-4-scripts-ordered.png");

  plan = paddock_create_wizard_dup_plan (wizard);
  g_assert_cmpstr (((PaddockTemplateScript *) plan->scripts->pdata[0])->name, ==, "second");
  g_assert_cmpstr (((PaddockTemplateScript *) plan->scripts->pdata[1])->name, ==, "first");
  run = paddock_job_plan_dup_run_scripts (plan);
  g_assert_cmpuint (run->len, ==, 2);
  g_assert_cmpstr (((PaddockTemplateScript *) run->pdata[1])->name, ==, "first");

  gtk_window_destroy (GTK_WINDOW (wizard));
  iterate_until_idle ();
}

/* The template's OS is not on the node: the wizard downloads it, showing the task's progress. */
static void
test_os_download (void)
{
  PaddockCreateWizard *wizard;
  GtkWidget *download_row;
  g_autofree char *answer = NULL;

  if (!paddock_test_real_containers_required ())
    return;

  answer = paddock_test_lab_control ("forget-template", "debian-12-standard_12.7-1_amd64.tar.zst", NULL);
  wizard = open_wizard ();
  choose_template (wizard, "light");
  next (wizard);
  assert_problem (wizard, "download “debian-12-standard”");
  download_row = wizard_child (wizard, "download_row");
  g_assert_true (gtk_widget_get_visible (download_row));
  save_screenshot (GTK_WIDGET (wizard), "provision-wizard-download.png");

  gtk_widget_activate_action (GTK_WIDGET (wizard), "wizard.download-os", NULL);
  wait_ready (wizard, 120);
  g_assert_false (gtk_widget_get_visible (download_row));

  gtk_window_destroy (GTK_WINDOW (wizard));
  iterate_until_idle ();
}

/* A script fails: the job's page says so with Retry from This Step; fixed in the template, the
 * retry finishes; the job's end while no window is in front is a notification. */
static void
test_failed_job_retried (void)
{
  g_autoptr(PaddockTemplate) template = paddock_template_new ("fails-once-ui");
  g_autoptr(PaddockTemplateScript) script = paddock_template_script_new (10, "check", "echo checking\nexit 4\n");
  g_autoptr(PaddockJobPlan) plan = NULL;
  g_autoptr(PaddockJob) job = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  PaddockStore *store = paddock_workspace_get_store (paddock_provisioner_get_workspace (provisioner));
  GtkWidget *stopped_box;
  guint notified_before;

  if (!paddock_test_real_containers_required ())
    return;

  script->enabled = TRUE;
  paddock_template_add_script (template, script);
  paddock_template_set_memory (template, 128);
  paddock_store_save_template_async (store, template, NULL, PADDOCK_TEST_ASYNC (result));
  paddock_template_set_id (template, paddock_store_save_template_finish (store, paddock_test_wait (&result), &error));
  g_assert_no_error (error);

  plan = paddock_job_plan_new_from_template (template);
  plan->connection_id = paddock_cluster_get_connection_id (lab_cluster ());
  plan->node = g_strdup ("pve1");
  plan->vmid = 4300;
  plan->hostname = g_strdup ("fails-once-ui");
  g_clear_object (&result);
  paddock_provisioner_create_async (provisioner, plan, NULL, PADDOCK_TEST_ASYNC (result));
  job = paddock_provisioner_create_finish (provisioner, paddock_test_wait (&result), &error);
  g_assert_no_error (error);
  paddock_window_show_job (window, paddock_job_get_id (job));
  g_assert_true (iterate_until (job_finished, job, 180));
  g_assert_cmpint (paddock_job_get_state (job), ==, PADDOCK_JOB_FAILED);

  stopped_box = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (job_page ()), PADDOCK_TYPE_JOB_PAGE,
                                                           "stopped_box"));
  iterate_until_idle ();
  g_assert_true (gtk_widget_get_visible (stopped_box));
  g_assert_true (gtk_widget_get_sensitive (find_actionable (stopped_box, "job.retry")));
  g_assert_nonnull (find_label (GTK_WIDGET (job_page ()), "Script “check” failed with exit status 4"));
  {
    OutputWanted wanted = { "checking", 1 };

    g_assert_true (iterate_until (output_has, &wanted, 10));
  }
  save_screenshot (GTK_WIDGET (window), "provision-job-failed.png");

  /* Fixed in the template; the window hidden, as if the user had gone elsewhere. */
  paddock_template_clear_parts (template);
  g_free (script->content);
  script->content = g_strdup ("echo fixed\n");
  paddock_template_add_script (template, script);
  g_clear_object (&result);
  paddock_store_save_template_async (store, template, NULL, PADDOCK_TEST_ASYNC (result));
  g_assert_cmpint (paddock_store_save_template_finish (store, paddock_test_wait (&result), &error), >, 0);

  notified_before = notifications.received->len;
  gtk_widget_activate_action (GTK_WIDGET (job_page ()), "job.retry", NULL);
  gtk_widget_set_visible (GTK_WIDGET (window), FALSE);
  {
    gint64 deadline = g_get_monotonic_time () + 180 * G_USEC_PER_SEC;

    while (paddock_job_get_state (job) != PADDOCK_JOB_SUCCEEDED && g_get_monotonic_time () < deadline)
      g_main_context_iteration (NULL, TRUE);
  }
  g_assert_cmpint (paddock_job_get_state (job), ==, PADDOCK_JOB_SUCCEEDED);

  /* The notification went out on the session bus; clicking it brings the job's page back. */
  g_assert_nonnull (paddock_test_notifications_wait (&notifications, notified_before, 10));
  g_assert_cmpuint (notifications.received->len, ==, notified_before + 1);
  g_assert_true (g_str_has_prefix (notifications.received->pdata[notified_before], "fails-once-ui Is Ready\n"));
  gtk_widget_activate_action (GTK_WIDGET (window), "win.show-list", NULL);
  paddock_test_notifications_click (&notifications, notified_before);
  g_assert_true (iterate_until (widget_visible, window, 10));
  iterate_until_idle ();
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (job_page ())));
  g_assert_true (paddock_job_page_get_job (job_page ()) == job);
  {
    OutputWanted fixed = { "fixed", 1 };

    g_assert_true (iterate_until (output_has, &fixed, 10));
  }
  g_assert_cmpuint (count_output ("checking"), ==, 1);
  delete_container (paddock_job_get_vmid (job));
}

static void
import_light (const char *data_dir)
{
  g_autofree char *db = g_build_filename (data_dir, "paddock.db", NULL);
  g_autoptr(PaddockStore) store = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) reports = NULL;
  g_autoptr(GError) error = NULL;

  store = paddock_store_new (db, NULL, &error);
  g_assert_no_error (error);
  paddock_store_import_templates_async (store, LIGHT, NULL, PADDOCK_TEST_ASYNC (result));
  reports = paddock_store_import_templates_finish (store, paddock_test_wait (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (reports->len, ==, 1);
}

static gboolean
provisioner_ready (gpointer data)
{
  return paddock_application_get_provisioner (app) != NULL;
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *data_dir = NULL;
  int status;

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  paddock_test_lab_start ((const char *[]) { "--real", "0", "--auth-delay-ms", "20", NULL });
  if (paddock_test_lab != NULL && !g_hash_table_contains (paddock_test_lab, "REAL_SKIP_REASON"))
    {
      paddock_test_notifications_own (&notifications);
      data_dir = paddock_test_make_dir ("provision-ui");
      paddock_test_ui_prepare_lab_data (data_dir);
      import_light (data_dir);
      app = paddock_test_ui_start_app ("app.paddock.Paddock.ProvisionTest", data_dir, &window);
      g_assert_true (iterate_until (provisioner_ready, NULL, 30));
      provisioner = paddock_application_get_provisioner (app);
    }

  g_test_add_func ("/paddock/provision/wizard-end-to-end", test_wizard_end_to_end);
  g_test_add_func ("/paddock/provision/wizard-checks", test_wizard_checks);
  g_test_add_func ("/paddock/provision/wizard-scripts-order", test_wizard_scripts_order);
  g_test_add_func ("/paddock/provision/os-download", test_os_download);
  g_test_add_func ("/paddock/provision/failed-job-retried", test_failed_job_retried);

  status = g_test_run ();
  if (app != NULL)
    {
      close_app (app);
      g_object_unref (app);
    }
  paddock_test_notifications_clear (&notifications);
  return status;
}
