/*
 * speaker.h - the PC speaker, fed by PIT channel 2 (drivers/speaker.c).
 */
void	speaker_tone(uint hz);	/* start a square wave; 0 = off */
void	speaker_off(void);
