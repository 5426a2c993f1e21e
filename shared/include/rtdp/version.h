#ifndef RTDP_VERSION_H
#define RTDP_VERSION_H

#ifndef RTDP_VERSION
#define RTDP_VERSION "0.0.0-dev"
#endif

/* The policy and manifest API group this release speaks. */
#define RTDP_API_VERSION "rtdp.io/v1alpha1"

#endif
