/* SPDX-License-Identifier: MIT */
/*
 * Calendar arithmetic for clock chips: proleptic Gregorian dates to and
 * from seconds since 1970-01-01T00:00:00, BCD and 12-hour encodings, and
 * the MC146818A alarm match with don't-care bytes. Pure functions on
 * integers (no host time, no libc time zone code), so unit tests can reach
 * every corner: month and year ends, leap years, negative years.
 */
#ifndef HW_RTC_RTC_CALENDAR_H
#define HW_RTC_RTC_CALENDAR_H

#include <stdbool.h>
#include <stdint.h>

#define RTC_SEC_PER_DAY 86400

/* A broken-down time; months and days count from 1, wday 0 is Sunday. */
typedef struct RtcTime {
    int64_t year;
    int mon;
    int mday;
    int hour;
    int min;
    int sec;
    int wday;
} RtcTime;

/* Floor division and modulo (b > 0), exact for negative a. */
int64_t rtc_floor_div(int64_t a, int64_t b);
int64_t rtc_floor_mod(int64_t a, int64_t b);

bool rtc_is_leap(int64_t year);
/* Days in month mon (1-12) of year; 0 for an invalid month. */
int rtc_days_in_month(int64_t year, int mon);

/* Days since 1970-01-01; any month/day is normalised (month 13 = January). */
int64_t rtc_days_from_civil(int64_t year, int mon, int mday);
void rtc_civil_from_days(int64_t days, int64_t *year, int *mon, int *mday);

/* Seconds since the epoch; out-of-range fields carry over, as mktime does. */
int64_t rtc_time_to_seconds(const RtcTime *t);
void rtc_seconds_to_time(int64_t secs, RtcTime *t);

/* Parses "YYYY-MM-DDTHH:MM:SS" (QEMU's -rtc base= form); false if invalid. */
bool rtc_parse_date(const char *str, int64_t *secs);

/*
 * Register encodings. A value is BCD unless binary; rtc_from_reg() gives -1
 * for a don't-care byte (two top bits set, MC146818A "Alarm" section).
 */
uint8_t rtc_to_reg(int64_t value, bool binary);
int rtc_from_reg(uint8_t reg, bool binary);
/* Hours register: 24-hour, or 1-12 with bit 7 as PM in 12-hour mode. */
uint8_t rtc_hour_to_reg(int hour24, bool mode24, bool binary);
int rtc_hour_from_reg(uint8_t reg, bool mode24, bool binary);

/*
 * Seconds from time of day h:m:s until the next second whose time of day
 * matches the alarm ah:am:as (-1: don't care), in 1..86400; -1 if no second
 * of a day can match (an alarm value out of range never fires).
 */
int rtc_alarm_delay(int h, int m, int s, int ah, int am, int as);

#endif
