#ifndef USPBRIDGE_CMOSQUITTO_SHIM_H
#define USPBRIDGE_CMOSQUITTO_SHIM_H
#include <mosquitto.h>
#include <mqtt_protocol.h>
#endif
