/* SPDX-License-Identifier: GPL-3.0-or-later */
/* paddock-template-io.h: the infrahaus template directory format (SPEC.md §6.2), read and written */

#pragma once

#include "paddock-template.h"

G_BEGIN_DECLS

/* A package file of a template directory, kept as a bucket "<template>/<file>". */
typedef struct
{
  char      *name;
  GPtrArray *packages;  /* PaddockPackage */
} PaddockBucketSource;

/* What one template directory holds. Blocking: call from a worker thread. */
typedef struct
{
  char            *path;        /* absolute */
  PaddockTemplate *template;    /* NULL when errors is not empty */
  GPtrArray       *buckets;     /* PaddockBucketSource */
  GPtrArray       *warnings;    /* char *, "file:line: message" */
  GPtrArray       *errors;      /* char *, "file:line: message" */
} PaddockTemplateSource;

void                   paddock_template_source_free      (PaddockTemplateSource *source);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PaddockTemplateSource, paddock_template_source_free)

PaddockTemplateSource *paddock_template_read_directory   (const char            *path);

/* The template directories under @root (immediate subdirectories with a template.conf), or
 * @root itself when it has one. Fails only when @root cannot be read or holds none. */
GPtrArray             *paddock_template_read_tree        (const char            *root,
                                                          GError               **error);

/* Writes @template as a new directory @path (which must not exist, or be empty); the files
 * appear together, by renaming a complete temporary directory. */
gboolean               paddock_template_write_directory  (PaddockTemplate       *template,
                                                          const char            *path,
                                                          GError               **error);

G_END_DECLS
