"""Elections and their geography: governorates, districts, sub-districts, centres and
polling stations, contests with their seats, and the election calendar."""
