/* SPDX-License-Identifier: GPL-3.0-or-later */
/* paddock-job.c: one provisioning job: phase, percentage, items, timings, output */

#include "config.h"

#include <json-glib/json-glib.h>
#include <string.h>

#include "paddock-job-private.h"

#define LAST_LINES 20

static const char *phase_names[] = {
  "creating", "starting", "connecting", "packages", "scripts", "files", "finalizing",
};
static const guint phase_starts[] = { 0, 20, 30, 35, 50, 85, 92, 100 };

G_STATIC_ASSERT (G_N_ELEMENTS (phase_names) == PADDOCK_N_JOB_PHASES);
G_STATIC_ASSERT (G_N_ELEMENTS (phase_starts) == PADDOCK_N_JOB_PHASES + 1);

static const char *item_kind_names[] = { "packages", "script", "file" };
static const char *item_status_names[] = { "pending", "running", "done", "skipped", "failed" };

/* Managers in the order their packages are installed: the system's first (pip and npm come from
 * them), custom commands last (they may use anything installed before). */
static const PaddockPackageManager install_order[] = {
  PADDOCK_PACKAGE_APT, PADDOCK_PACKAGE_APK, PADDOCK_PACKAGE_DNF,
  PADDOCK_PACKAGE_PIP, PADDOCK_PACKAGE_NPM, PADDOCK_PACKAGE_CUSTOM,
};

const char *
paddock_job_phase_to_string (PaddockJobPhase phase)
{
  g_return_val_if_fail (phase < PADDOCK_N_JOB_PHASES, NULL);

  return phase_names[phase];
}

gboolean
paddock_job_phase_from_string (const char      *str,
                               PaddockJobPhase *phase)
{
  for (guint i = 0; i < PADDOCK_N_JOB_PHASES; i++)
    {
      if (g_strcmp0 (str, phase_names[i]) == 0)
        {
          *phase = i;
          return TRUE;
        }
    }

  return FALSE;
}

const char *
paddock_job_phase_describe (PaddockJobPhase phase)
{
  switch (phase)
    {
    case PADDOCK_JOB_PHASE_CREATING:
      return "Creating the container";
    case PADDOCK_JOB_PHASE_STARTING:
      return "Starting the container";
    case PADDOCK_JOB_PHASE_CONNECTING:
      return "Waiting for the container to boot";
    case PADDOCK_JOB_PHASE_PACKAGES:
      return "Installing packages";
    case PADDOCK_JOB_PHASE_SCRIPTS:
      return "Running scripts";
    case PADDOCK_JOB_PHASE_FILES:
      return "Placing files";
    case PADDOCK_JOB_PHASE_FINALIZING:
      return "Finding services";
    default:
      g_return_val_if_reached (NULL);
    }
}

void
paddock_job_phase_get_range (PaddockJobPhase  phase,
                             guint           *first,
                             guint           *last)
{
  g_return_if_fail (phase < PADDOCK_N_JOB_PHASES);

  if (first != NULL)
    *first = phase_starts[phase];
  if (last != NULL)
    *last = phase_starts[phase + 1];
}

const char *
paddock_job_item_kind_to_string (PaddockJobItemKind kind)
{
  g_return_val_if_fail (kind < G_N_ELEMENTS (item_kind_names), NULL);

  return item_kind_names[kind];
}

const char *
paddock_job_item_status_to_string (PaddockJobItemStatus status)
{
  g_return_val_if_fail (status < G_N_ELEMENTS (item_status_names), NULL);

  return item_status_names[status];
}

static gboolean
name_to_index (const char  *str,
               const char **names,
               guint        n_names,
               guint       *index)
{
  for (guint i = 0; i < n_names; i++)
    {
      if (g_strcmp0 (str, names[i]) == 0)
        {
          *index = i;
          return TRUE;
        }
    }

  return FALSE;
}

/* ------------------------------------------------------------------------------------------- */
/* PaddockJobItem                                                                              */

struct _PaddockJobItem
{
  GObject               parent_instance;
  PaddockJobItemKind    kind;
  char                 *name;
  PaddockJobItemStatus  status;
  char                 *detail;
};

G_DEFINE_FINAL_TYPE (PaddockJobItem, paddock_job_item, G_TYPE_OBJECT)

enum {
  ITEM_PROP_0,
  ITEM_PROP_STATUS,
  ITEM_PROP_DETAIL,
  N_ITEM_PROPS
};

static GParamSpec *item_properties[N_ITEM_PROPS];

static void
paddock_job_item_finalize (GObject *object)
{
  PaddockJobItem *self = PADDOCK_JOB_ITEM (object);

  g_free (self->name);
  g_free (self->detail);

  G_OBJECT_CLASS (paddock_job_item_parent_class)->finalize (object);
}

static void
paddock_job_item_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  PaddockJobItem *self = PADDOCK_JOB_ITEM (object);

  switch (prop_id)
    {
    case ITEM_PROP_STATUS:
      g_value_set_uint (value, self->status);
      break;
    case ITEM_PROP_DETAIL:
      g_value_set_string (value, self->detail);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
paddock_job_item_class_init (PaddockJobItemClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = paddock_job_item_finalize;
  object_class->get_property = paddock_job_item_get_property;

  item_properties[ITEM_PROP_STATUS] =
    g_param_spec_uint ("status", NULL, NULL, 0, PADDOCK_JOB_ITEM_FAILED, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  item_properties[ITEM_PROP_DETAIL] =
    g_param_spec_string ("detail", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_ITEM_PROPS, item_properties);
}

static void
paddock_job_item_init (PaddockJobItem *self)
{
}

static PaddockJobItem *
job_item_new (PaddockJobItemKind  kind,
              const char         *name)
{
  PaddockJobItem *self = g_object_new (PADDOCK_TYPE_JOB_ITEM, NULL);

  self->kind = kind;
  self->name = g_strdup (name);

  return self;
}

PaddockJobItemKind
paddock_job_item_get_kind (PaddockJobItem *self)
{
  g_return_val_if_fail (PADDOCK_IS_JOB_ITEM (self), 0);

  return self->kind;
}

const char *
paddock_job_item_get_name (PaddockJobItem *self)
{
  g_return_val_if_fail (PADDOCK_IS_JOB_ITEM (self), NULL);

  return self->name;
}

PaddockJobItemStatus
paddock_job_item_get_status (PaddockJobItem *self)
{
  g_return_val_if_fail (PADDOCK_IS_JOB_ITEM (self), 0);

  return self->status;
}

const char *
paddock_job_item_get_detail (PaddockJobItem *self)
{
  g_return_val_if_fail (PADDOCK_IS_JOB_ITEM (self), NULL);

  return self->detail;
}

void
_paddock_job_item_set_status (PaddockJobItem       *item,
                              PaddockJobItemStatus  status,
                              const char           *detail)
{
  g_return_if_fail (PADDOCK_IS_JOB_ITEM (item));

  if (item->status != status)
    {
      item->status = status;
      g_object_notify_by_pspec (G_OBJECT (item), item_properties[ITEM_PROP_STATUS]);
    }
  if (g_strcmp0 (item->detail, detail) != 0)
    {
      g_free (item->detail);
      item->detail = g_strdup (detail);
      g_object_notify_by_pspec (G_OBJECT (item), item_properties[ITEM_PROP_DETAIL]);
    }
}

/* ------------------------------------------------------------------------------------------- */
/* PaddockJob                                                                                  */

struct _PaddockJob
{
  GObject          parent_instance;

  gint64           id;
  PaddockJobPlan  *plan;
  PaddockJobState  state;
  PaddockJobPhase  phase;
  guint            percent;
  char            *message;
  char            *address;
  char            *create_params;
  char            *upid;
  gboolean         created;
  gboolean         elsewhere;
  GListStore      *items;
  double           phase_started[PADDOCK_N_JOB_PHASES];  /* unix seconds; 0: not run */
  double           phase_ended[PADDOCK_N_JOB_PHASES];
  gint64           created_at;
  gint64           updated_at;
  GQueue           last_lines;
  gint64           run_started;   /* monotonic µs */
  gint64           run_ended;
  gint64           task_wait;     /* µs */
  gint64           command_wait;
};

G_DEFINE_FINAL_TYPE (PaddockJob, paddock_job, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_STATE,
  PROP_PHASE,
  PROP_PERCENT,
  PROP_MESSAGE,
  PROP_ADDRESS,
  N_PROPS
};

enum {
  OUTPUT,
  FINISHED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void
paddock_job_finalize (GObject *object)
{
  PaddockJob *self = PADDOCK_JOB (object);

  paddock_job_plan_free (self->plan);
  g_free (self->message);
  g_free (self->address);
  g_free (self->create_params);
  g_free (self->upid);
  g_clear_object (&self->items);
  g_queue_clear_full (&self->last_lines, g_free);

  G_OBJECT_CLASS (paddock_job_parent_class)->finalize (object);
}

static void
paddock_job_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  PaddockJob *self = PADDOCK_JOB (object);

  switch (prop_id)
    {
    case PROP_STATE:
      g_value_set_uint (value, self->state);
      break;
    case PROP_PHASE:
      g_value_set_uint (value, self->phase);
      break;
    case PROP_PERCENT:
      g_value_set_uint (value, self->percent);
      break;
    case PROP_MESSAGE:
      g_value_set_string (value, self->message);
      break;
    case PROP_ADDRESS:
      g_value_set_string (value, self->address);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
paddock_job_class_init (PaddockJobClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = paddock_job_finalize;
  object_class->get_property = paddock_job_get_property;

  properties[PROP_STATE] =
    g_param_spec_uint ("state", NULL, NULL, 0, PADDOCK_JOB_CANCELLED, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PHASE] =
    g_param_spec_uint ("phase", NULL, NULL, 0, PADDOCK_JOB_PHASE_FINALIZING, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PERCENT] =
    g_param_spec_uint ("percent", NULL, NULL, 0, 100, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_MESSAGE] =
    g_param_spec_string ("message", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ADDRESS] =
    g_param_spec_string ("address", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * PaddockJob::output:
   * @stream: a #PaddockJobStream
   * @line: one whole line, without its line break
   */
  signals[OUTPUT] = g_signal_new ("output", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                  G_TYPE_NONE, 2, G_TYPE_UINT, G_TYPE_STRING);
  /**
   * PaddockJob::finished:
   *
   * The job stopped: it succeeded, failed or was cancelled (the window makes it a notification).
   */
  signals[FINISHED] = g_signal_new ("finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                    G_TYPE_NONE, 0);
}

static void
paddock_job_init (PaddockJob *self)
{
  self->items = g_list_store_new (PADDOCK_TYPE_JOB_ITEM);
  g_queue_init (&self->last_lines);
}

/* One item per package manager used, per script that runs, per file. */
static void
build_items (PaddockJob *self)
{
  g_autoptr(GPtrArray) scripts = paddock_job_plan_dup_run_scripts (self->plan);
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint m = 0; m < G_N_ELEMENTS (install_order); m++)
    {
      for (guint i = 0; i < self->plan->packages->len; i++)
        {
          PaddockPackage *package = self->plan->packages->pdata[i];

          if (package->manager == install_order[m])
            {
              g_ptr_array_add (items, job_item_new (PADDOCK_JOB_ITEM_PACKAGES,
                                                    paddock_package_manager_to_string (install_order[m])));
              break;
            }
        }
    }
  for (guint i = 0; i < scripts->len; i++)
    g_ptr_array_add (items, job_item_new (PADDOCK_JOB_ITEM_SCRIPT, ((PaddockTemplateScript *) scripts->pdata[i])->name));
  for (guint i = 0; i < self->plan->files->len; i++)
    {
      g_autofree char *target = paddock_template_file_dup_target_path (self->plan->files->pdata[i]);

      g_ptr_array_add (items, job_item_new (PADDOCK_JOB_ITEM_FILE, target));
    }

  g_list_store_splice (self->items, 0, g_list_model_get_n_items (G_LIST_MODEL (self->items)),
                       items->pdata, items->len);
}

PaddockJob *
paddock_job_new (const PaddockJobPlan *plan)
{
  PaddockJob *self;

  g_return_val_if_fail (plan != NULL, NULL);

  self = g_object_new (PADDOCK_TYPE_JOB, NULL);
  self->plan = paddock_job_plan_copy (plan);
  self->state = PADDOCK_JOB_QUEUED;
  self->created_at = g_get_real_time () / G_USEC_PER_SEC;
  self->updated_at = self->created_at;
  build_items (self);

  return self;
}

#define GETTER(type, name, field, fallback) \
  type paddock_job_get_##name (PaddockJob *self) \
  { \
    g_return_val_if_fail (PADDOCK_IS_JOB (self), fallback); \
    return self->field; \
  }

GETTER (gint64, id, id, 0)
GETTER (gint64, connection_id, plan->connection_id, 0)
GETTER (const char *, node, plan->node, NULL)
GETTER (guint, vmid, plan->vmid, 0)
GETTER (const char *, hostname, plan->hostname, NULL)
GETTER (const PaddockJobPlan *, plan, plan, NULL)
GETTER (PaddockJobState, state, state, 0)
GETTER (PaddockJobPhase, phase, phase, 0)
GETTER (guint, percent, percent, 0)
GETTER (const char *, message, message, NULL)
GETTER (const char *, address, address, NULL)
GETTER (const char *, create_params, create_params, NULL)
GETTER (gint64, created_at, created_at, 0)
GETTER (gint64, updated_at, updated_at, 0)
GETTER (gboolean, elsewhere, elsewhere, FALSE)

#undef GETTER

GListModel *
paddock_job_get_items (PaddockJob *self)
{
  g_return_val_if_fail (PADDOCK_IS_JOB (self), NULL);

  return G_LIST_MODEL (self->items);
}

double
paddock_job_get_phase_seconds (PaddockJob      *self,
                               PaddockJobPhase  phase)
{
  double end;

  g_return_val_if_fail (PADDOCK_IS_JOB (self), 0);
  g_return_val_if_fail (phase < PADDOCK_N_JOB_PHASES, 0);

  if (self->phase_started[phase] == 0)
    return 0;
  end = self->phase_ended[phase] ? self->phase_ended[phase] : g_get_real_time () / (double) G_USEC_PER_SEC;

  return MAX (0, end - self->phase_started[phase]);
}

gboolean
paddock_job_is_stopped (PaddockJob *self)
{
  g_return_val_if_fail (PADDOCK_IS_JOB (self), FALSE);

  return self->state == PADDOCK_JOB_FAILED || self->state == PADDOCK_JOB_INTERRUPTED
         || self->state == PADDOCK_JOB_CANCELLED;
}

gboolean
paddock_job_is_finished (PaddockJob *self)
{
  g_return_val_if_fail (PADDOCK_IS_JOB (self), FALSE);

  return self->state == PADDOCK_JOB_SUCCEEDED || paddock_job_is_stopped (self);
}

void
paddock_job_get_run_seconds (PaddockJob *self,
                             double     *total,
                             double     *tasks,
                             double     *commands)
{
  gint64 end;

  g_return_if_fail (PADDOCK_IS_JOB (self));

  end = self->run_ended ? self->run_ended : g_get_monotonic_time ();
  if (total != NULL)
    *total = self->run_started ? (end - self->run_started) / (double) G_USEC_PER_SEC : 0;
  if (tasks != NULL)
    *tasks = self->task_wait / (double) G_USEC_PER_SEC;
  if (commands != NULL)
    *commands = self->command_wait / (double) G_USEC_PER_SEC;
}

void
_paddock_job_begin_run (PaddockJob *self)
{
  self->run_started = g_get_monotonic_time ();
  self->run_ended = 0;
  self->task_wait = self->command_wait = 0;
}

void
_paddock_job_end_run (PaddockJob *self)
{
  self->run_ended = g_get_monotonic_time ();
}

void
_paddock_job_add_wait (PaddockJob *self,
                       gboolean    task,
                       gint64      microseconds)
{
  if (task)
    self->task_wait += microseconds;
  else
    self->command_wait += microseconds;
}

char *
paddock_job_dup_last_lines (PaddockJob *self,
                            guint       count)
{
  GString *text = g_string_new (NULL);
  guint skip;
  guint i = 0;

  g_return_val_if_fail (PADDOCK_IS_JOB (self), NULL);

  skip = self->last_lines.length > count ? self->last_lines.length - count : 0;
  for (GList *l = self->last_lines.head; l != NULL; l = l->next, i++)
    if (i >= skip)
      g_string_append_printf (text, "%s%s", text->len ? "\n" : "", (char *) l->data);

  return g_string_free (text, FALSE);
}

/* ------------------------------------------------------------------------------------------- */
/* Changes                                                                                     */

static void
touch (PaddockJob *self)
{
  self->updated_at = g_get_real_time () / G_USEC_PER_SEC;
}

void
_paddock_job_set_id (PaddockJob *self,
                     gint64      id)
{
  self->id = id;
}

void
_paddock_job_set_state (PaddockJob      *self,
                        PaddockJobState  state)
{
  if (self->state == state)
    return;

  self->state = state;
  touch (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
  if (paddock_job_is_finished (self))
    g_signal_emit (self, signals[FINISHED], 0);
}

void
_paddock_job_end_phase (PaddockJob *self)
{
  if (self->phase_started[self->phase] != 0 && self->phase_ended[self->phase] == 0)
    self->phase_ended[self->phase] = g_get_real_time () / (double) G_USEC_PER_SEC;
}

void
_paddock_job_enter_phase (PaddockJob      *self,
                          PaddockJobPhase  phase)
{
  guint first;

  _paddock_job_end_phase (self);
  self->phase = phase;
  self->phase_started[phase] = g_get_real_time () / (double) G_USEC_PER_SEC;
  self->phase_ended[phase] = 0;
  touch (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PHASE]);

  paddock_job_phase_get_range (phase, &first, NULL);
  _paddock_job_set_percent (self, first);
  _paddock_job_set_message (self, paddock_job_phase_describe (phase));
}

void
_paddock_job_set_percent (PaddockJob *self,
                          guint       percent)
{
  percent = MIN (percent, 100);
  if (self->percent == percent)
    return;

  self->percent = percent;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PERCENT]);
}

void
_paddock_job_set_message (PaddockJob *self,
                          const char *message)
{
  if (g_strcmp0 (self->message, message) == 0)
    return;

  g_free (self->message);
  self->message = g_strdup (message);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MESSAGE]);
}

void
_paddock_job_set_address (PaddockJob *self,
                          const char *address)
{
  if (g_strcmp0 (self->address, address) == 0)
    return;

  g_free (self->address);
  self->address = g_strdup (address);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ADDRESS]);
}

void
_paddock_job_set_create_params (PaddockJob *self,
                                const char *params)
{
  g_free (self->create_params);
  self->create_params = g_strdup (params);
}

void
_paddock_job_set_plan (PaddockJob           *self,
                       const PaddockJobPlan *plan)
{
  PaddockJobPlan *copy = paddock_job_plan_copy (plan);

  paddock_job_plan_free (self->plan);
  self->plan = copy;
}

void
_paddock_job_set_elsewhere (PaddockJob *self,
                            gboolean    elsewhere)
{
  self->elsewhere = elsewhere;
}

const char *
_paddock_job_get_upid (PaddockJob *self)
{
  return self->upid;
}

void
_paddock_job_set_upid (PaddockJob *self,
                       const char *upid)
{
  g_free (self->upid);
  self->upid = g_strdup (upid);
}

gboolean
_paddock_job_get_created (PaddockJob *self)
{
  return self->created;
}

void
_paddock_job_set_created (PaddockJob *self,
                          gboolean    created)
{
  self->created = created;
}

void
_paddock_job_add_output (PaddockJob       *self,
                         PaddockJobStream  stream,
                         const char       *line)
{
  g_queue_push_tail (&self->last_lines, g_strdup (line));
  while (self->last_lines.length > LAST_LINES)
    g_free (g_queue_pop_head (&self->last_lines));

  g_signal_emit (self, signals[OUTPUT], 0, (guint) stream, line);
}

PaddockJobItem *
_paddock_job_find_item (PaddockJob         *self,
                        PaddockJobItemKind  kind,
                        const char         *name)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->items));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PaddockJobItem) item = g_list_model_get_item (G_LIST_MODEL (self->items), i);

      if (item->kind == kind && g_strcmp0 (item->name, name) == 0)
        return item;  /* the store keeps its reference */
    }

  return NULL;
}

static PaddockJobPhase
item_phase (PaddockJobItemKind kind)
{
  switch (kind)
    {
    case PADDOCK_JOB_ITEM_PACKAGES:
      return PADDOCK_JOB_PHASE_PACKAGES;
    case PADDOCK_JOB_ITEM_SCRIPT:
      return PADDOCK_JOB_PHASE_SCRIPTS;
    case PADDOCK_JOB_ITEM_FILE:
    default:
      return PADDOCK_JOB_PHASE_FILES;
    }
}

void
_paddock_job_reset_from (PaddockJob      *self,
                         PaddockJobPhase  phase)
{
  /* The plan may have been refreshed from the template (a script added or renamed): items follow
   * the plan, and those still there keep their status. */
  g_autoptr(GListStore) old = g_object_ref (self->items);
  guint n;

  self->items = g_list_store_new (PADDOCK_TYPE_JOB_ITEM);
  build_items (self);
  n = g_list_model_get_n_items (G_LIST_MODEL (old));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PaddockJobItem) before = g_list_model_get_item (G_LIST_MODEL (old), i);
      PaddockJobItem *item = _paddock_job_find_item (self, before->kind, before->name);

      if (item != NULL)
        _paddock_job_item_set_status (item, before->status, before->detail);
    }
  /* Whoever shows the items' model keeps showing the same one. */
  {
    g_autoptr(GPtrArray) fresh = g_ptr_array_new_with_free_func (g_object_unref);

    for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (self->items)); i++)
      g_ptr_array_add (fresh, g_list_model_get_item (G_LIST_MODEL (self->items), i));
    g_list_store_splice (old, 0, n, fresh->pdata, fresh->len);
    g_set_object (&self->items, old);
  }

  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (self->items)); i++)
    {
      g_autoptr(PaddockJobItem) item = g_list_model_get_item (G_LIST_MODEL (self->items), i);
      PaddockJobPhase of = item_phase (item->kind);

      if (of < phase)
        continue;
      if (of == PADDOCK_JOB_PHASE_SCRIPTS && phase == PADDOCK_JOB_PHASE_SCRIPTS && item->status == PADDOCK_JOB_ITEM_DONE)
        continue;
      _paddock_job_item_set_status (item, PADDOCK_JOB_ITEM_PENDING, NULL);
    }

  for (guint p = phase; p < PADDOCK_N_JOB_PHASES; p++)
    self->phase_started[p] = self->phase_ended[p] = 0;
}

/* ------------------------------------------------------------------------------------------- */
/* The row of the store                                                                        */

static void
add_string (JsonBuilder *builder,
            const char  *name,
            const char  *value)
{
  if (value == NULL)
    return;
  json_builder_set_member_name (builder, name);
  json_builder_add_string_value (builder, value);
}

static char *
build_params (PaddockJob *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *plan = paddock_job_plan_to_json (self->plan);
  g_autoptr(JsonNode) plan_node = json_from_string (plan, NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "plan");
  json_builder_add_value (builder, g_steal_pointer (&plan_node));
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  return json_to_string (root, FALSE);
}

static char *
build_items_json (PaddockJob *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->items));

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "items");
  json_builder_begin_array (builder);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PaddockJobItem) item = g_list_model_get_item (G_LIST_MODEL (self->items), i);

      json_builder_begin_object (builder);
      add_string (builder, "kind", item_kind_names[item->kind]);
      add_string (builder, "name", item->name);
      add_string (builder, "status", item_status_names[item->status]);
      add_string (builder, "detail", item->detail);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "phases");
  json_builder_begin_object (builder);
  for (guint p = 0; p < PADDOCK_N_JOB_PHASES; p++)
    {
      if (self->phase_started[p] == 0)
        continue;
      json_builder_set_member_name (builder, phase_names[p]);
      json_builder_begin_array (builder);
      json_builder_add_double_value (builder, self->phase_started[p]);
      json_builder_add_double_value (builder, self->phase_ended[p]);
      json_builder_end_array (builder);
    }
  json_builder_end_object (builder);

  add_string (builder, "upid", self->upid);
  add_string (builder, "address", self->address);
  /* Here, not with the plan: the template volume is known only once the job resolved it. */
  add_string (builder, "create", self->create_params);
  json_builder_set_member_name (builder, "created");
  json_builder_add_boolean_value (builder, self->created);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  return json_to_string (root, FALSE);
}

PaddockJobRecord *
paddock_job_to_record (PaddockJob *self)
{
  return _paddock_job_to_record (self, TRUE);
}

PaddockJobRecord *
_paddock_job_to_record (PaddockJob *self,
                        gboolean    with_plan)
{
  PaddockJobRecord *record = paddock_job_record_new ();

  g_return_val_if_fail (PADDOCK_IS_JOB (self), record);

  record->id = self->id;
  record->connection_id = self->plan->connection_id;
  record->node = g_strdup (self->plan->node);
  record->vmid = self->plan->vmid;
  record->hostname = g_strdup (self->plan->hostname);
  record->template_id = self->plan->template_id;
  record->state = self->state;
  record->phase = g_strdup (phase_names[self->phase]);
  record->percent = self->percent;
  record->message = g_strdup (self->message);
  record->params = with_plan ? build_params (self) : NULL;
  record->items = build_items_json (self);
  record->created_at = self->created_at;
  record->updated_at = self->updated_at;

  return record;
}

static const char *
member_string (JsonObject *object,
               const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING
      || !g_utf8_validate (json_node_get_string (node), -1, NULL))
    return NULL;

  return json_node_get_string (node);
}

static double
element_double (JsonArray *array,
                guint      index)
{
  JsonNode *node = index < json_array_get_length (array) ? json_array_get_element (array, index) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return 0;
  if (json_node_get_value_type (node) == G_TYPE_DOUBLE)
    return json_node_get_double (node);
  if (json_node_get_value_type (node) == G_TYPE_INT64)
    return json_node_get_int (node);

  return 0;
}

/* Items, timings and facts: a damaged value is left at its default, never fatal (the job is
 * still shown and can be deleted). */
static void
read_items_json (PaddockJob *self,
                 const char *json)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  JsonObject *root;
  JsonNode *member;

  if (json == NULL || strlen (json) > 16 * 1024 * 1024 || !json_parser_load_from_data (parser, json, -1, NULL)
      || json_parser_get_root (parser) == NULL || !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return;
  root = json_node_get_object (json_parser_get_root (parser));

  if ((member = json_object_get_member (root, "items")) != NULL && JSON_NODE_HOLDS_ARRAY (member))
    {
      JsonArray *items = json_node_get_array (member);

      for (guint i = 0; i < json_array_get_length (items); i++)
        {
          JsonNode *node = json_array_get_element (items, i);
          JsonObject *object;
          PaddockJobItem *item;
          guint kind, status;

          if (!JSON_NODE_HOLDS_OBJECT (node))
            continue;
          object = json_node_get_object (node);
          if (!name_to_index (member_string (object, "kind"), item_kind_names, G_N_ELEMENTS (item_kind_names), &kind)
              || !name_to_index (member_string (object, "status"), item_status_names,
                                 G_N_ELEMENTS (item_status_names), &status))
            continue;
          if ((item = _paddock_job_find_item (self, kind, member_string (object, "name"))) != NULL)
            _paddock_job_item_set_status (item, status, member_string (object, "detail"));
        }
    }

  if ((member = json_object_get_member (root, "phases")) != NULL && JSON_NODE_HOLDS_OBJECT (member))
    {
      JsonObject *phases = json_node_get_object (member);

      for (guint p = 0; p < PADDOCK_N_JOB_PHASES; p++)
        {
          JsonNode *node = json_object_get_member (phases, phase_names[p]);

          if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
            continue;
          self->phase_started[p] = element_double (json_node_get_array (node), 0);
          self->phase_ended[p] = element_double (json_node_get_array (node), 1);
        }
    }

  _paddock_job_set_upid (self, member_string (root, "upid"));
  _paddock_job_set_address (self, member_string (root, "address"));
  if (member_string (root, "create") != NULL)
    _paddock_job_set_create_params (self, member_string (root, "create"));
  if ((member = json_object_get_member (root, "created")) != NULL && JSON_NODE_HOLDS_VALUE (member)
      && json_node_get_value_type (member) == G_TYPE_BOOLEAN)
    self->created = json_node_get_boolean (member);
}

PaddockJob *
paddock_job_new_from_record (const PaddockJobRecord  *record,
                             GError                 **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(PaddockJobPlan) plan = NULL;
  g_autofree char *plan_json = NULL;
  PaddockJob *self;
  JsonNode *node;

  g_return_val_if_fail (record != NULL, NULL);

  if (record->params == NULL || strlen (record->params) > PADDOCK_JOB_PLAN_MAX_JSON
      || !json_parser_load_from_data (parser, record->params, -1, NULL)
      || json_parser_get_root (parser) == NULL || !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser))
      || (node = json_object_get_member (json_node_get_object (json_parser_get_root (parser)), "plan")) == NULL)
    {
      g_set_error (error, PADDOCK_TEMPLATE_ERROR, PADDOCK_TEMPLATE_ERROR_PARSE,
                   "Job %" G_GINT64_FORMAT ": its saved parameters are damaged", record->id);
      return NULL;
    }
  plan_json = json_to_string (node, FALSE);
  if (!(plan = paddock_job_plan_new_from_json (plan_json, -1, error)))
    {
      g_prefix_error (error, "Job %" G_GINT64_FORMAT ": ", record->id);
      return NULL;
    }

  self = paddock_job_new (plan);
  self->id = record->id;
  self->created_at = record->created_at;
  _paddock_job_update_from_record (self, record);

  return self;
}

gboolean
_paddock_job_update_from_record (PaddockJob             *self,
                                 const PaddockJobRecord *record)
{
  PaddockJobPhase phase = PADDOCK_JOB_PHASE_CREATING;
  gboolean changed = record->updated_at != self->updated_at || record->state != self->state;

  self->updated_at = record->updated_at;
  self->elsewhere = record->elsewhere;
  read_items_json (self, record->items);
  if (paddock_job_phase_from_string (record->phase, &phase) && phase != self->phase)
    {
      self->phase = phase;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PHASE]);
    }
  _paddock_job_set_percent (self, record->percent);
  _paddock_job_set_message (self, record->message);
  _paddock_job_set_state (self, record->state);

  return changed;
}
