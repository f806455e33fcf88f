/* SPDX-License-Identifier: GPL-3.0-or-later */
/* paddock-buckets-page.h: package buckets, named groups of packages that templates take in */

#pragma once

#include <adwaita.h>

#include "paddock-core.h"

G_BEGIN_DECLS

#define PADDOCK_TYPE_BUCKETS_PAGE (paddock_buckets_page_get_type ())

G_DECLARE_FINAL_TYPE (PaddockBucketsPage, paddock_buckets_page, PADDOCK, BUCKETS_PAGE, AdwBin)

void        paddock_buckets_page_set_store   (PaddockBucketsPage *self,
                                              PaddockStore       *store);
void        paddock_buckets_page_reload      (PaddockBucketsPage *self);
/* For tests: the buckets shown (PaddockBucket), whether a request is out, the last error. */
GPtrArray  *paddock_buckets_page_get_buckets (PaddockBucketsPage *self);
gboolean    paddock_buckets_page_get_busy    (PaddockBucketsPage *self);
const char *paddock_buckets_page_get_message (PaddockBucketsPage *self);
/* Pastes @text (a package per line) into a bucket: all of it, or nothing with the bad lines. */
void        paddock_buckets_page_paste       (PaddockBucketsPage   *self,
                                              gint64                bucket_id,
                                              PaddockPackageManager manager,
                                              const char           *text);
void        paddock_buckets_page_create      (PaddockBucketsPage *self,
                                              const char         *name);

G_END_DECLS
