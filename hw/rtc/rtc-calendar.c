/* SPDX-License-Identifier: MIT */
/*
 * Calendar arithmetic for clock chips; see rtc-calendar.h. Dates use the
 * proleptic Gregorian calendar counted in 400-year eras of 146097 days,
 * with years starting in March so that the leap day falls at a year's end.
 */
#include "hw/rtc/rtc-calendar.h"

#include <stdio.h>
#include <string.h>

#define DAYS_PER_ERA 146097 /* 400 Gregorian years */
#define EPOCH_SHIFT 719468  /* days from 0000-03-01 to 1970-01-01 */

int64_t rtc_floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;

    return (a % b != 0 && a < 0) ? q - 1 : q;
}

int64_t rtc_floor_mod(int64_t a, int64_t b)
{
    return a - rtc_floor_div(a, b) * b;
}

bool rtc_is_leap(int64_t year)
{
    return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

int rtc_days_in_month(int64_t year, int mon)
{
    static const uint8_t days[12] = {
        31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31,
    };

    if (mon < 1 || mon > 12) {
        return 0;
    }
    return days[mon - 1] + (mon == 2 && rtc_is_leap(year));
}

/* Day of a March-based year (March 1st is 0) for month mon (1-12). */
static int64_t rtc_march_day(int mon, int64_t mday)
{
    int from_march = mon > 2 ? mon - 3 : mon + 9;

    /* Month lengths from March repeat 31,30,31,30,31 every five months. */
    return (153 * from_march + 2) / 5 + mday - 1;
}

int64_t rtc_days_from_civil(int64_t year, int mon, int mday)
{
    int64_t y, era, year_of_era, day_of_era;

    year += rtc_floor_div((int64_t)mon - 1, 12);
    mon = (int)rtc_floor_mod((int64_t)mon - 1, 12) + 1;
    y = mon <= 2 ? year - 1 : year;
    era = rtc_floor_div(y, 400);
    year_of_era = y - era * 400;
    day_of_era =
        year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + rtc_march_day(mon, 1);
    return era * DAYS_PER_ERA + day_of_era - EPOCH_SHIFT + (mday - 1);
}

void rtc_civil_from_days(int64_t days, int64_t *year, int *mon, int *mday)
{
    int64_t z = days + EPOCH_SHIFT;
    int64_t era = rtc_floor_div(z, DAYS_PER_ERA);
    int64_t day_of_era = z - era * DAYS_PER_ERA;
    int64_t year_of_era, day_of_year, month_index;

    /* Undo the leap days: one per 4 years, minus one per 100, plus 400. */
    year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36524 -
                   day_of_era / (DAYS_PER_ERA - 1)) /
                  365;
    day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    month_index = (5 * day_of_year + 2) / 153;
    *mday = (int)(day_of_year - (153 * month_index + 2) / 5 + 1);
    *mon = (int)(month_index < 10 ? month_index + 3 : month_index - 9);
    *year = year_of_era + era * 400 + (*mon <= 2);
}

int64_t rtc_time_to_seconds(const RtcTime *t)
{
    int64_t days = rtc_days_from_civil(t->year, t->mon, t->mday);

    return days * RTC_SEC_PER_DAY + (int64_t)t->hour * 3600 + (int64_t)t->min * 60 +
           t->sec;
}

void rtc_seconds_to_time(int64_t secs, RtcTime *t)
{
    int64_t days = rtc_floor_div(secs, RTC_SEC_PER_DAY);
    int64_t rem = secs - days * RTC_SEC_PER_DAY;

    rtc_civil_from_days(days, &t->year, &t->mon, &t->mday);
    t->hour = (int)(rem / 3600);
    t->min = (int)(rem / 60 % 60);
    t->sec = (int)(rem % 60);
    t->wday = (int)rtc_floor_mod(days + 4, 7); /* 1970-01-01: Thursday */
}

bool rtc_parse_date(const char *str, int64_t *secs)
{
    RtcTime t = {0};
    int year, len = 0;
    int n = sscanf(str, "%4d-%2d-%2dT%2d:%2d:%2d%n", &year, &t.mon, &t.mday, &t.hour,
                   &t.min, &t.sec, &len);

    if (n != 6 || str[len] != '\0') {
        t.hour = t.min = t.sec = 0;
        len = 0;
        n = sscanf(str, "%4d-%2d-%2d%n", &year, &t.mon, &t.mday, &len);
        if (n != 3 || str[len] != '\0') {
            return false;
        }
    }
    t.year = year;
    if (t.mon < 1 || t.mon > 12 || t.mday < 1 ||
        t.mday > rtc_days_in_month(t.year, t.mon) || t.hour < 0 || t.hour > 23 ||
        t.min < 0 || t.min > 59 || t.sec < 0 || t.sec > 59) {
        return false;
    }
    *secs = rtc_time_to_seconds(&t);
    return true;
}

uint8_t rtc_to_reg(int64_t value, bool binary)
{
    int64_t v;

    if (binary) {
        return (uint8_t)value;
    }
    v = rtc_floor_mod(value, 100);
    return (uint8_t)((v / 10) << 4 | v % 10);
}

int rtc_from_reg(uint8_t reg, bool binary)
{
    if ((reg & 0xc0) == 0xc0) {
        return -1;
    }
    return binary ? reg : (reg >> 4) * 10 + (reg & 0x0f);
}

uint8_t rtc_hour_to_reg(int hour24, bool mode24, bool binary)
{
    int h12 = hour24 % 12 ? hour24 % 12 : 12;

    if (mode24) {
        return rtc_to_reg(hour24, binary);
    }
    return rtc_to_reg(h12, binary) | (hour24 >= 12 ? 0x80 : 0);
}

int rtc_hour_from_reg(uint8_t reg, bool mode24, bool binary)
{
    int hour = rtc_from_reg(reg & 0x7f, binary);

    if (!mode24) {
        hour %= 12;
        if (reg & 0x80) {
            hour += 12;
        }
    }
    return hour;
}

static bool rtc_alarm_field_ok(int v, int max)
{
    return v >= -1 && v <= max;
}

int rtc_alarm_delay(int h, int m, int s, int ah, int am, int as)
{
    int64_t now = rtc_floor_mod((int64_t)h * 3600 + (int64_t)m * 60 + s, RTC_SEC_PER_DAY);
    int cur_min = (int)(now / 60), cur_sec = (int)(now % 60);

    if (!rtc_alarm_field_ok(ah, 23) || !rtc_alarm_field_ok(am, 59) ||
        !rtc_alarm_field_ok(as, 59)) {
        return -1;
    }
    /* Walk the minutes of the next 24 hours, jumping to the next hour or
     * minute that can match: at most ~50 iterations. */
    for (int k = 0; k <= 24 * 60; k++) {
        int mi = (cur_min + k) % (24 * 60);
        int first = k == 0 ? cur_sec + 1 : 0;
        int sec = as >= 0 ? as : first;

        if (ah >= 0 && mi / 60 != ah) {
            k += 59 - mi % 60; /* skip the rest of this hour */
            continue;
        }
        if (am >= 0 && mi % 60 != am) {
            k += (am - mi % 60 + 60) % 60 - 1;     /* to the matching minute */
            continue;
        }
        if (sec >= first && sec <= 59) {
            return k * 60 + sec - cur_sec;
        }
    }
    return -1;
}
