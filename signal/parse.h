#ifndef _yy_defines_h_
#define _yy_defines_h_

#define ADDRESS 257
#define ALLOWEDIPS 258
#define CREDLIFETIME 259
#define GROUP 260
#define HSRATE 261
#define INACTIVITY 262
#define INCLUDE 263
#define ISOLATEGROUPS 264
#define KEY 265
#define LAZYCONN 266
#define LAZYEXEMPT 267
#define LISTEN 268
#define LOCKSIG 269
#define MAXCONN 270
#define MAXHANDSHAKES 271
#define MAXMSG 272
#define MAXQUEUE 273
#define MSGRATE 274
#define NETLOCK 275
#define NETWORK 276
#define NODEKEY 277
#define ON 278
#define PEER 279
#define PORT 280
#define REALM 281
#define RELAY 282
#define RELAYONLY 283
#define SECRET 284
#define WGKEY 285
#define ERROR 286
#define STRING 287
#define NUMBER 288

#endif /* _yy_defines_h_ */
