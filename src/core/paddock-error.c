/* SPDX-License-Identifier: GPL-3.0-or-later */
/* paddock-error.c: the error domains of libpaddock-core */

#include "config.h"

#include "paddock-error.h"

G_DEFINE_QUARK (paddock-pve-error-quark, paddock_pve_error)
G_DEFINE_QUARK (paddock-store-error-quark, paddock_store_error)
G_DEFINE_QUARK (paddock-secrets-error-quark, paddock_secrets_error)
G_DEFINE_QUARK (paddock-ssh-error-quark, paddock_ssh_error)
G_DEFINE_QUARK (paddock-probe-error-quark, paddock_probe_error)
G_DEFINE_QUARK (paddock-job-error-quark, paddock_job_error)
