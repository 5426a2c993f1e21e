/* Kubernetes resource quantities ("100m", "1.5", "512Mi", "1e3"). Private to shared/. */
#ifndef RTDP_QUANTITY_H
#define RTDP_QUANTITY_H

/* 1 and the value in base units (cores, bytes) when s is a valid quantity; else 0. */
int quantity_parse(const char *s, double *value);

#endif
