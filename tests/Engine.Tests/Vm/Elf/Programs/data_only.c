/* Data and no code: the loader must refuse it (there is nothing to run). */
int counter = 7;
const char label[] = "no code here";
