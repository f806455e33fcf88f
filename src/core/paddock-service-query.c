/* SPDX-License-Identifier: GPL-3.0-or-later */
/* paddock-service-query.c: "port:5432" and "service:postgres" in a search, answered from the
 * services Paddock saw in every container (the probe cache) */

#include "config.h"

#include <string.h>

#include "paddock-probe.h"
#include "paddock-service-query.h"

typedef struct
{
  guint  port;   /* 0: any */
  char  *name;   /* NULL: any */
} Term;

struct _PaddockServiceQuery
{
  GObject           parent_instance;
  PaddockWorkspace *workspace;
  GCancellable     *cancellable;   /* of the answers to the current text */
  GArray           *terms;         /* Term */
  char             *rest;
  GPtrArray        *answers;       /* per term: GHashTable of guest keys */
  guint             pending;
  GHashTable       *matches;       /* guest keys in every term's answer */
  guint             probing;
};

G_DEFINE_FINAL_TYPE (PaddockServiceQuery, paddock_service_query, G_TYPE_OBJECT)

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
term_clear (gpointer data)
{
  g_free (((Term *) data)->name);
}

static void
paddock_service_query_dispose (GObject *object)
{
  PaddockServiceQuery *self = PADDOCK_SERVICE_QUERY (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->workspace);

  G_OBJECT_CLASS (paddock_service_query_parent_class)->dispose (object);
}

static void
paddock_service_query_finalize (GObject *object)
{
  PaddockServiceQuery *self = PADDOCK_SERVICE_QUERY (object);

  g_array_unref (self->terms);
  g_free (self->rest);
  g_ptr_array_unref (self->answers);
  g_hash_table_unref (self->matches);

  G_OBJECT_CLASS (paddock_service_query_parent_class)->finalize (object);
}

static void
paddock_service_query_class_init (PaddockServiceQueryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = paddock_service_query_dispose;
  object_class->finalize = paddock_service_query_finalize;

  /* The answers changed, or their pending state, or the containers being looked inside. */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                   G_TYPE_NONE, 0);
}

static void
paddock_service_query_init (PaddockServiceQuery *self)
{
  self->terms = g_array_new (FALSE, TRUE, sizeof (Term));
  g_array_set_clear_func (self->terms, term_clear);
  self->answers = g_ptr_array_new_with_free_func ((GDestroyNotify) g_hash_table_unref);
  self->matches = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

PaddockServiceQuery *
paddock_service_query_new (PaddockWorkspace *workspace)
{
  PaddockServiceQuery *self;

  g_return_val_if_fail (PADDOCK_IS_WORKSPACE (workspace), NULL);

  self = g_object_new (PADDOCK_TYPE_SERVICE_QUERY, NULL);
  self->workspace = g_object_ref (workspace);
  return self;
}

/* Asking the cache */

typedef struct
{
  PaddockServiceQuery *self;
  GCancellable        *cancellable;
  guint                term;
  gint64               connection_id;
} Ask;

static void
update_matches (PaddockServiceQuery *self)
{
  GHashTableIter iter;
  gpointer key;

  g_hash_table_remove_all (self->matches);
  if (self->answers->len == 0)
    return;

  g_hash_table_iter_init (&iter, g_ptr_array_index (self->answers, 0));
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      gboolean everywhere = TRUE;

      for (guint i = 1; i < self->answers->len && everywhere; i++)
        everywhere = g_hash_table_contains (g_ptr_array_index (self->answers, i), key);
      if (everywhere)
        g_hash_table_add (self->matches, g_strdup (key));
    }
}

static void
on_answer (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  Ask *ask = user_data;
  PaddockServiceQuery *self = ask->self;
  g_autoptr(GPtrArray) vmids = paddock_store_find_services_finish (PADDOCK_STORE (object), result, NULL);

  if (!g_cancellable_is_cancelled (ask->cancellable))
    {
      GHashTable *answer = g_ptr_array_index (self->answers, ask->term);

      for (guint i = 0; vmids != NULL && i < vmids->len; i++)
        g_hash_table_add (answer, paddock_guest_key (ask->connection_id, GPOINTER_TO_UINT (vmids->pdata[i])));

      if (--self->pending == 0)
        {
          update_matches (self);
          g_signal_emit (self, signals[CHANGED], 0);
        }
    }

  g_object_unref (ask->cancellable);
  g_object_unref (ask->self);
  g_free (ask);
}

static void
ask_the_cache (PaddockServiceQuery *self)
{
  GListModel *clusters = paddock_workspace_get_clusters (self->workspace);
  PaddockStore *store = paddock_workspace_get_store (self->workspace);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  self->pending = 0;
  g_ptr_array_set_size (self->answers, 0);
  g_hash_table_remove_all (self->matches);

  for (guint t = 0; t < self->terms->len; t++)
    {
      Term *term = &g_array_index (self->terms, Term, t);

      g_ptr_array_add (self->answers, g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL));
      for (guint c = 0; c < g_list_model_get_n_items (clusters); c++)
        {
          g_autoptr(PaddockCluster) cluster = g_list_model_get_item (clusters, c);
          Ask *ask = g_new0 (Ask, 1);

          ask->self = g_object_ref (self);
          ask->cancellable = g_object_ref (self->cancellable);
          ask->term = t;
          ask->connection_id = paddock_cluster_get_connection_id (cluster);
          self->pending++;
          paddock_store_find_services_async (store, ask->connection_id, term->port, term->name, self->cancellable,
                                             on_answer, ask);
        }
    }

  g_signal_emit (self, signals[CHANGED], 0);
}

void
paddock_service_query_set_text (PaddockServiceQuery *self,
                                const char          *search_text)
{
  g_auto(GStrv) words = NULL;
  g_autoptr(GString) rest = g_string_new (NULL);
  g_autoptr(GArray) terms = g_array_new (FALSE, TRUE, sizeof (Term));

  g_return_if_fail (PADDOCK_IS_SERVICE_QUERY (self));

  g_array_set_clear_func (terms, term_clear);
  words = g_strsplit_set (search_text ? search_text : "", " \t", -1);
  for (guint i = 0; words[i] != NULL; i++)
    {
      const char *word = words[i];
      Term term = { 0 };

      if (g_ascii_strncasecmp (word, "port:", 5) == 0 && word[5] != '\0')
        {
          guint64 port = 0;

          /* Half-typed ("port:54") already asks; a port that cannot exist finds nothing. */
          if (!g_ascii_string_to_unsigned (word + 5, 10, 1, 65535, &port, NULL))
            port = G_MAXUINT;
          term.port = (guint) port;
          g_array_append_val (terms, term);
        }
      else if (g_ascii_strncasecmp (word, "service:", 8) == 0 && word[8] != '\0')
        {
          term.name = g_strdup (word + 8);
          g_array_append_val (terms, term);
        }
      else if (*word != '\0')
        g_string_append_printf (rest, "%s%s", rest->len ? " " : "", word);
    }

  g_free (self->rest);
  self->rest = g_string_free (g_steal_pointer (&rest), FALSE);

  /* The same terms again (more text typed after them): the answers stand. */
  if (terms->len == self->terms->len)
    {
      gboolean same = TRUE;

      for (guint i = 0; i < terms->len && same; i++)
        same = g_array_index (terms, Term, i).port == g_array_index (self->terms, Term, i).port &&
               g_strcmp0 (g_array_index (terms, Term, i).name, g_array_index (self->terms, Term, i).name) == 0;
      if (same)
        return;
    }

  g_array_unref (self->terms);
  self->terms = g_steal_pointer (&terms);
  if (self->terms->len == 0)
    {
      g_cancellable_cancel (self->cancellable);
      self->pending = 0;
      g_ptr_array_set_size (self->answers, 0);
      g_hash_table_remove_all (self->matches);
      g_signal_emit (self, signals[CHANGED], 0);
      return;
    }

  ask_the_cache (self);
}

const char *
paddock_service_query_get_rest (PaddockServiceQuery *self)
{
  g_return_val_if_fail (PADDOCK_IS_SERVICE_QUERY (self), NULL);
  return self->rest;
}

gboolean
paddock_service_query_get_active (PaddockServiceQuery *self)
{
  g_return_val_if_fail (PADDOCK_IS_SERVICE_QUERY (self), FALSE);
  return self->terms->len > 0;
}

gboolean
paddock_service_query_get_pending (PaddockServiceQuery *self)
{
  g_return_val_if_fail (PADDOCK_IS_SERVICE_QUERY (self), FALSE);
  return self->pending > 0;
}

gboolean
paddock_service_query_matches (PaddockServiceQuery *self,
                               PaddockGuest        *guest)
{
  g_autofree char *key = NULL;

  g_return_val_if_fail (PADDOCK_IS_SERVICE_QUERY (self), FALSE);

  if (self->terms->len == 0)
    return TRUE;

  key = paddock_guest_dup_key (guest);
  return g_hash_table_contains (self->matches, key);
}

guint
paddock_service_query_get_probing (PaddockServiceQuery *self)
{
  g_return_val_if_fail (PADDOCK_IS_SERVICE_QUERY (self), 0);
  return self->probing;
}

/* Looking inside every running container */

typedef struct
{
  PaddockServiceQuery *self;
  PaddockCluster      *cluster;
  GArray              *vmids;
} NodeProbe;

static void
node_probe_done (NodeProbe *probe)
{
  PaddockServiceQuery *self = probe->self;

  self->probing -= probe->vmids->len;
  /* What was seen is in the cache: ask it again (and say how many are left meanwhile). */
  if (self->probing == 0 && self->terms->len > 0)
    ask_the_cache (self);
  else
    g_signal_emit (self, signals[CHANGED], 0);

  g_object_unref (probe->self);
  g_object_unref (probe->cluster);
  g_array_unref (probe->vmids);
  g_free (probe);
}

static void
on_saved (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  paddock_store_flush_finish (PADDOCK_STORE (object), result, NULL);
  node_probe_done (user_data);
}

static void
on_probed_many (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  NodeProbe *probe = user_data;
  g_autoptr(GPtrArray) outcomes = paddock_probe_many_finish (PADDOCK_PCT (object), result, NULL);
  PaddockStore *store = paddock_workspace_get_store (probe->self->workspace);

  for (guint i = 0; outcomes != NULL && i < outcomes->len; i++)
    {
      PaddockProbeOutcome *outcome = g_ptr_array_index (outcomes, i);
      g_autofree char *payload = NULL;

      if (outcome->result == NULL)
        continue;
      payload = paddock_probe_result_to_json (outcome->result);
      paddock_store_save_service_cache_async (store, paddock_cluster_get_connection_id (probe->cluster),
                                              outcome->vmid, payload, NULL, NULL, NULL);
    }

  /* Asked again once these writes are on disk, so that the answers include them. */
  paddock_store_flush_async (store, NULL, on_saved, probe);
}

static void
on_node_pct (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  NodeProbe *probe = user_data;
  g_autoptr(PaddockPct) pct = paddock_node_sessions_open_finish (PADDOCK_NODE_SESSIONS (object), result, NULL);

  if (pct == NULL)
    {
      node_probe_done (probe);
      return;
    }

  paddock_probe_many_async (pct, (const guint *) probe->vmids->data, probe->vmids->len, NULL, on_probed_many, probe);
}

void
paddock_service_query_look_inside_running (PaddockServiceQuery *self)
{
  GListModel *clusters;

  g_return_if_fail (PADDOCK_IS_SERVICE_QUERY (self));

  if (self->probing > 0)
    return;

  clusters = paddock_workspace_get_clusters (self->workspace);
  for (guint c = 0; c < g_list_model_get_n_items (clusters); c++)
    {
      g_autoptr(PaddockCluster) cluster = g_list_model_get_item (clusters, c);
      g_autoptr(GHashTable) by_node = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                            (GDestroyNotify) g_array_unref);
      GHashTableIter iter;
      gpointer node, vmids;

      if (!paddock_cluster_get_reachable (cluster))
        continue;

      for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (cluster)); i++)
        {
          g_autoptr(PaddockGuest) guest = g_list_model_get_item (G_LIST_MODEL (cluster), i);
          GArray *list;
          guint vmid = paddock_guest_get_vmid (guest);

          if (paddock_guest_get_state (guest) != PADDOCK_GUEST_STATE_RUNNING || paddock_guest_get_template (guest))
            continue;
          if (!(list = g_hash_table_lookup (by_node, paddock_guest_get_node (guest))))
            {
              list = g_array_new (FALSE, FALSE, sizeof (guint));
              g_hash_table_insert (by_node, g_strdup (paddock_guest_get_node (guest)), list);
            }
          g_array_append_val (list, vmid);
        }

      g_hash_table_iter_init (&iter, by_node);
      while (g_hash_table_iter_next (&iter, &node, &vmids))
        {
          NodeProbe *probe = g_new0 (NodeProbe, 1);

          probe->self = g_object_ref (self);
          probe->cluster = g_object_ref (cluster);
          probe->vmids = g_array_ref (vmids);
          self->probing += probe->vmids->len;
          paddock_node_sessions_open_async (paddock_workspace_get_node_sessions (self->workspace), cluster, node,
                                            NULL, on_node_pct, probe);
        }
    }

  g_signal_emit (self, signals[CHANGED], 0);
}
