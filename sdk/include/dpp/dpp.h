/* The whole stable ABI of dokploy-provider plugins. Include this, or the one header you need. */
#ifndef DPP_DPP_H
#define DPP_DPP_H

#include "auth.h"
#include "backend.h"
#include "entry.h"
#include "host.h"
#include "option.h"
#include "status.h"
#include "transport.h"
#include "version.h"

#endif /* DPP_DPP_H */
