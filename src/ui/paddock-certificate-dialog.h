/* SPDX-License-Identifier: GPL-3.0-or-later */
/* paddock-certificate-dialog.h: the question before Paddock trusts a server's TLS certificate */

#pragma once

#include <adwaita.h>

#include "paddock-core.h"

G_BEGIN_DECLS

typedef void (*PaddockCertificateAnswer) (gboolean trusted,
                                          gpointer user_data);

/* "AB:CD:…" in lines of eight pairs, for reading aloud and comparing. */
char *paddock_format_fingerprint      (const char               *sha256);

/* After @client refused a certificate: an unknown one is shown with its fingerprint, validity
 * and names, and pinned only if the user says so. A changed one gets a stern dialog with both
 * fingerprints; only with @allow_replace (the connection's own settings) can it be trusted
 * instead of the old one. @answer is called once. */
void  paddock_certificate_dialog_ask  (GtkWindow                *parent,
                                       PaddockPveClient         *client,
                                       gboolean                  allow_replace,
                                       PaddockCertificateAnswer  answer,
                                       gpointer                  user_data);

G_END_DECLS
