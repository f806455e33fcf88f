/* SPDX-License-Identifier: GPL-3.0-or-later */
/* paddock-host-key-dialog.h: the question before Paddock trusts a node's SSH host key */

#pragma once

#include <adwaita.h>

#include "paddock-core.h"

G_BEGIN_DECLS

typedef void (*PaddockHostKeyAnswer) (gboolean trusted,
                                      gpointer user_data);

/* After @session failed with UNKNOWN_HOST_KEY or HOST_KEY_CHANGED: an unknown key is shown with
 * its fingerprint and trusted only if the user says so; a changed key gets a stern dialog with
 * both fingerprints, and only with @allow_replace (the connection's own settings) can the new
 * key replace the old one. @answer is called once, on the main thread. */
void paddock_host_key_dialog_ask (GtkWindow            *parent,
                                  PaddockSshSession    *session,
                                  const char           *node,
                                  gboolean              allow_replace,
                                  PaddockHostKeyAnswer  answer,
                                  gpointer              user_data);

G_END_DECLS
